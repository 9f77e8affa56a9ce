namespace M365.Sandbox.SharePoint.Csom;

/// <summary>
/// An entry of &lt;Actions&gt;: &lt;ObjectPath&gt; (instantiate) or &lt;Query&gt; (read properties, all or the listed
/// ones); any other kind is kept by name so the processor can refuse it.
/// </summary>
internal sealed record CsomAction(string Kind, int Id, int ObjectPathId, bool SelectAllProperties, IReadOnlyList<string> Properties)
{
    public const string ObjectPathKind = "ObjectPath";
    public const string QueryKind = "Query";
}

namespace M365.Sandbox.SharePoint.Csom;

/// <summary>
/// A server object in a CSOM answer: its _ObjectType_, _ObjectIdentity_ and scalar properties, and for a collection
/// its items (_Child_Items_).
/// </summary>
internal sealed record CsomObject(string ObjectType, string ObjectIdentity, IReadOnlyList<KeyValuePair<string, object?>> Properties)
{
    public IReadOnlyList<CsomObject>? Children { get; init; }
}

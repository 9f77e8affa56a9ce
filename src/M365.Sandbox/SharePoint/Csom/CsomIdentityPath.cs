namespace M365.Sandbox.SharePoint.Csom;

/// <summary>&lt;Identity Id Name/&gt;: an object the server returned earlier, named by its _ObjectIdentity_.</summary>
internal sealed record CsomIdentityPath(int Id, string Name) : CsomObjectPath(Id);

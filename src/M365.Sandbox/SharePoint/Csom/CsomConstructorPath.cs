namespace M365.Sandbox.SharePoint.Csom;

/// <summary>&lt;Constructor Id TypeId/&gt;: a new instance of a server type, e.g. the Tenant.</summary>
internal sealed record CsomConstructorPath(int Id, string TypeId) : CsomObjectPath(Id);

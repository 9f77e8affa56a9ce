namespace M365.Sandbox.SharePoint.Csom;

/// <summary>An object path kind the sandbox does not implement (StaticProperty, Property, StaticMethod…).</summary>
internal sealed record CsomUnsupportedPath(int Id, string Kind) : CsomObjectPath(Id);

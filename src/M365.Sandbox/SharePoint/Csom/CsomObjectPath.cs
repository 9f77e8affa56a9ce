namespace M365.Sandbox.SharePoint.Csom;

/// <summary>An entry of a CSOM request's &lt;ObjectPaths&gt;: how the client names an object it acts on.</summary>
internal abstract record CsomObjectPath(int Id);

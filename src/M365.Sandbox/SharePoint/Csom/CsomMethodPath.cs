using System.Xml.Linq;

namespace M365.Sandbox.SharePoint.Csom;

/// <summary>&lt;Method Id ParentId Name&gt;&lt;Parameters/&gt;: the object a method call on another path returns.</summary>
internal sealed record CsomMethodPath(int Id, int ParentId, string Name, XElement? Parameters) : CsomObjectPath(Id);

using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace M365.Sandbox.SharePoint.Csom;

/// <summary>A parsed ProcessQuery body: &lt;Request&gt;&lt;Actions/&gt;&lt;ObjectPaths/&gt;&lt;/Request&gt;.</summary>
internal sealed class CsomRequest
{
    public static readonly XNamespace Ns = "http://schemas.microsoft.com/sharepoint/clientquery/2009";

    private CsomRequest(IReadOnlyList<CsomAction> actions, IReadOnlyDictionary<int, CsomObjectPath> objectPaths)
    {
        Actions = actions;
        ObjectPaths = objectPaths;
    }

    public IReadOnlyList<CsomAction> Actions { get; }

    public IReadOnlyDictionary<int, CsomObjectPath> ObjectPaths { get; }

    /// <summary>Parses the XML (no DTDs); returns null with a fault when it is not a CSOM request.</summary>
    public static CsomRequest? Parse(string xml, out CsomFault? fault)
    {
        fault = null;
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            fault = CsomFault.InvalidQuery($"The request XML is not well formed: {ex.Message}");
            return null;
        }

        var root = document.Root;
        if (root is null || root.Name != Ns + "Request")
        {
            fault = CsomFault.InvalidQuery("The request must be a <Request> element in the namespace " + Ns.NamespaceName + ".");
            return null;
        }

        var paths = new Dictionary<int, CsomObjectPath>();
        foreach (var element in root.Element(Ns + "ObjectPaths")?.Elements() ?? Enumerable.Empty<XElement>())
        {
            if (!TryInt(element, "Id", out var id))
            {
                fault = CsomFault.InvalidQuery($"The object path <{element.Name.LocalName}> has no numeric Id.");
                return null;
            }

            paths[id] = element.Name.LocalName switch
            {
                "Constructor" => new CsomConstructorPath(id, (string?)element.Attribute("TypeId") ?? string.Empty),
                "Method" when TryInt(element, "ParentId", out var parent) => new CsomMethodPath(id, parent, (string?)element.Attribute("Name") ?? string.Empty, element.Element(Ns + "Parameters")),
                "Identity" => new CsomIdentityPath(id, (string?)element.Attribute("Name") ?? string.Empty),
                var kind => new CsomUnsupportedPath(id, kind),
            };
        }

        var actions = new List<CsomAction>();
        foreach (var element in root.Element(Ns + "Actions")?.Elements() ?? Enumerable.Empty<XElement>())
        {
            TryInt(element, "Id", out var id);
            TryInt(element, "ObjectPathId", out var pathId);
            var query = element.Element(Ns + "Query");
            var selectAll = string.Equals((string?)query?.Attribute("SelectAllProperties"), "true", StringComparison.OrdinalIgnoreCase);
            var properties = query?.Element(Ns + "Properties")?.Elements(Ns + "Property")
                .Select(p => (string?)p.Attribute("Name") ?? string.Empty).Where(n => n.Length > 0).ToArray() ?? Array.Empty<string>();
            actions.Add(new CsomAction(element.Name.LocalName, id, pathId, selectAll, properties));
        }

        return new CsomRequest(actions, paths);
    }

    private static bool TryInt(XElement element, string attribute, out int value) =>
        int.TryParse((string?)element.Attribute(attribute), NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}

using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace M365.Sandbox.Graph.ServicePrincipals;

/// <summary>
/// The <c>$filter</c> expressions the sandbox answers on servicePrincipals, parsed by ODataLib (as Graph parses them):
/// <c>eq</c> on id, appId, displayName, servicePrincipalType, accountEnabled and appOwnerOrganizationId; <c>in</c> on
/// the string ones; <c>startswith</c> on appId and displayName; <c>and</c>, <c>or</c> and parentheses. What Graph
/// answers only as an advanced query (<c>ne</c>, <c>not</c>, <c>endswith</c>, ranges) or not at all is refused with
/// Graph's codes: a syntax error or unknown property is <c>BadRequest</c>, an operator the property does not take is
/// <c>Request_UnsupportedQuery</c>.
/// </summary>
internal sealed class ServicePrincipalFilter
{
    public const string AppIdProperty = "appId";
    public const string DisplayNameProperty = "displayName";

    private static readonly (IEdmModel Model, IEdmEntityType Type, IEdmEntitySet Set) Schema = BuildSchema();

    private readonly Func<ServicePrincipal, bool> _predicate;

    private ServicePrincipalFilter(Func<ServicePrincipal, bool> predicate, string? property, string? value)
    {
        _predicate = predicate;
        Property = property;
        Value = value;
    }

    /// <summary>For a single <c>appId eq</c> or <c>displayName eq</c> clause: its property, which the catalog indexes.</summary>
    public string? Property { get; }

    /// <summary>The value of that single clause.</summary>
    public string? Value { get; }

    public bool Matches(ServicePrincipal servicePrincipal) => _predicate(servicePrincipal);

    /// <summary>Parses an expression; on failure returns null with Graph's error code and message.</summary>
    public static ServicePrincipalFilter? Parse(string filter, out string? errorCode, out string? errorMessage)
    {
        errorCode = null;
        errorMessage = null;
        FilterClause clause;
        try
        {
            var parser = new ODataQueryOptionParser(Schema.Model, Schema.Type, Schema.Set, new Dictionary<string, string> { ["$filter"] = filter })
            {
                Resolver = new ODataUriResolver { EnableCaseInsensitive = true },
            };
            clause = parser.ParseFilter();
        }
        catch (ODataException ex)
        {
            errorCode = GraphError.BadRequest;
            errorMessage = "Invalid filter clause: " + ex.Message;
            return null;
        }

        try
        {
            var predicate = Compile(clause.Expression);
            var (property, value) = IndexedClause(clause.Expression);
            return new ServicePrincipalFilter(predicate, property, value);
        }
        catch (UnsupportedClauseException ex)
        {
            errorCode = GraphError.UnsupportedQuery;
            errorMessage = $"Unsupported or invalid query filter clause specified for property '{ex.Property}' of resource 'ServicePrincipal'.";
            return null;
        }
    }

    private static Func<ServicePrincipal, bool> Compile(QueryNode node)
    {
        switch (Unwrap(node))
        {
            case BinaryOperatorNode { OperatorKind: BinaryOperatorKind.And } and:
                var (left, right) = (Compile(and.Left), Compile(and.Right));
                return sp => left(sp) && right(sp);
            case BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Or } or:
                var (first, second) = (Compile(or.Left), Compile(or.Right));
                return sp => first(sp) || second(sp);
            case BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Equal } eq:
                return Equal(PropertyOf(eq.Left), ConstantOf(eq.Right, PropertyOf(eq.Left)));
            case BinaryOperatorNode other:
                throw new UnsupportedClauseException(NameOf(other.Left));
            case SingleValueFunctionCallNode { Name: "startswith" } call when call.Parameters.Count() == 2:
                var property = PropertyOf(call.Parameters.First());
                if (property is not (AppIdProperty or DisplayNameProperty))
                {
                    throw new UnsupportedClauseException(property);
                }

                var prefix = ConstantOf(call.Parameters.Last(), property) as string ?? throw new UnsupportedClauseException(property);
                return sp => Text(sp, property).StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
            case InNode { Right: CollectionConstantNode list } @in:
                var inProperty = PropertyOf(@in.Left);
                if (inProperty is "accountEnabled" or "appOwnerOrganizationId")
                {
                    throw new UnsupportedClauseException(inProperty);
                }

                var matchers = list.Collection.Select(c => Equal(inProperty, ConstantOf(c, inProperty))).ToArray();
                return sp => matchers.Any(m => m(sp));
            case SingleValueFunctionCallNode call:
                throw new UnsupportedClauseException(call.Parameters.Select(NameOf).FirstOrDefault(n => n.Length > 0) ?? call.Name);
            case UnaryOperatorNode unary:
                throw new UnsupportedClauseException(NameOf(unary.Operand));
            case InNode @in:
                throw new UnsupportedClauseException(NameOf(@in.Left));
            default:
                throw new UnsupportedClauseException(NameOf(node));
        }
    }

    private static Func<ServicePrincipal, bool> Equal(string property, object? constant) => property switch
    {
        "accountEnabled" when constant is bool enabled => sp => sp.AccountEnabled == enabled,
        "appOwnerOrganizationId" when constant is Guid owner => sp => sp.AppOwnerOrganizationId == owner,
        "id" or AppIdProperty or DisplayNameProperty or "servicePrincipalType" when constant is string text =>
            sp => string.Equals(Text(sp, property), text, StringComparison.OrdinalIgnoreCase),
        _ => throw new UnsupportedClauseException(property),
    };

    private static string Text(ServicePrincipal sp, string property) => property switch
    {
        "id" => sp.Id.ToString("D"),
        AppIdProperty => sp.AppId.ToString("D"),
        DisplayNameProperty => sp.DisplayName,
        _ => "Application", // servicePrincipalType: the sandbox serves applications only
    };

    /// <summary>A lone <c>appId eq</c> or <c>displayName eq</c>: the catalog answers it from its index, not by a scan.</summary>
    private static (string? Property, string? Value) IndexedClause(QueryNode node) =>
        Unwrap(node) is BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Equal } eq
        && PropertyOf(eq.Left) is AppIdProperty or DisplayNameProperty
        && ConstantOf(eq.Right, PropertyOf(eq.Left)) is string value
            ? (PropertyOf(eq.Left), value)
            : (null, null);

    private static string PropertyOf(QueryNode node) =>
        Unwrap(node) is SingleValuePropertyAccessNode access ? access.Property.Name : throw new UnsupportedClauseException(NameOf(node));

    private static object? ConstantOf(QueryNode node, string property) =>
        Unwrap(node) is ConstantNode constant ? constant.Value : throw new UnsupportedClauseException(property);

    private static string NameOf(QueryNode node) => Unwrap(node) switch
    {
        SingleValuePropertyAccessNode access => access.Property.Name,
        CollectionPropertyAccessNode collection => collection.Property.Name,
        AnyNode any => NameOf(any.Source),
        AllNode all => NameOf(all.Source),
        BinaryOperatorNode binary => NameOf(binary.Left),
        _ => string.Empty,
    };

    private static QueryNode Unwrap(QueryNode node) => node is ConvertNode convert ? Unwrap(convert.Source) : node;

    private static (IEdmModel, IEdmEntityType, IEdmEntitySet) BuildSchema()
    {
        var model = new EdmModel();
        var type = new EdmEntityType("microsoft.graph", "servicePrincipal");
        type.AddKeys(type.AddStructuralProperty("id", EdmPrimitiveTypeKind.String, isNullable: false));
        type.AddStructuralProperty(AppIdProperty, EdmPrimitiveTypeKind.String);
        type.AddStructuralProperty(DisplayNameProperty, EdmPrimitiveTypeKind.String);
        type.AddStructuralProperty("servicePrincipalType", EdmPrimitiveTypeKind.String);
        type.AddStructuralProperty("accountEnabled", EdmPrimitiveTypeKind.Boolean);
        type.AddStructuralProperty("appOwnerOrganizationId", EdmPrimitiveTypeKind.Guid);
        type.AddStructuralProperty("signInAudience", EdmPrimitiveTypeKind.String);
        type.AddStructuralProperty("tags", new EdmCollectionTypeReference(new EdmCollectionType(EdmCoreModel.Instance.GetString(isNullable: false))));
        type.AddStructuralProperty("servicePrincipalNames", new EdmCollectionTypeReference(new EdmCollectionType(EdmCoreModel.Instance.GetString(isNullable: false))));
        model.AddElement(type);
        var container = new EdmEntityContainer("microsoft.graph", "GraphService");
        var set = container.AddEntitySet("servicePrincipals", type);
        model.AddElement(container);
        return (model, type, set);
    }

    private sealed class UnsupportedClauseException(string property) : Exception
    {
        public string Property { get; } = property;
    }
}

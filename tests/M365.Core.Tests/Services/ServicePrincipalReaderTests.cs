using System.Text;
using System.Text.Json;
using M365.Core.Http;
using M365.Core.Services.Graph;

namespace M365.Core.Tests.Services;

/// <summary>
/// The streaming reader a listing uses (<see cref="ServicePrincipal.Read"/>, one pass of Utf8JsonReader over the page) reads
/// every object as <see cref="ServicePrincipal.FromJson(JsonElement)"/> does, which lookups and batches still use.
/// </summary>
public sealed class ServicePrincipalReaderTests
{
    public static TheoryData<string> Objects() => new()
    {
        // As Graph writes one, roles and scopes included.
        """{"id":"dbb9c117-cb10-52a2-893c-b425a88690b4","accountEnabled":true,"appDisplayName":"Microsoft Graph","appId":"00000003-0000-0000-c000-000000000000","appOwnerOrganizationId":"f8cdef31-a31e-4b4a-93e4-5f571e91255a","displayName":"Microsoft Graph","servicePrincipalNames":["https://graph.microsoft.com","00000003-0000-0000-c000-000000000000"],"servicePrincipalType":"Application","signInAudience":"AzureADMultipleOrgs","tags":[],"appRoles":[{"allowedMemberTypes":["Application"],"description":"d","displayName":"n","id":"9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30","isEnabled":true,"origin":"Application","value":"Application.Read.All"}],"oauth2PermissionScopes":[{"adminConsentDescription":"a","adminConsentDisplayName":"b","id":"e1fe6dd8-ba31-4d61-89e7-88639da4683d","isEnabled":true,"type":"User","userConsentDescription":"c","userConsentDisplayName":"e","value":"User.Read"}]}""",
        // Another case of a modelled name is neither typed nor additional; a repeated name: the last one counts.
        """{"id":"dbb9c117-cb10-52a2-893c-b425a88690b4","DisplayName":"other case","displayName":"first","displayName":"last","APPID":"00000003-0000-0000-c000-000000000000"}""",
        // Fields not modelled, of every kind, in AdditionalProperties as plain values.
        """{"id":"dbb9c117-cb10-52a2-893c-b425a88690b4","notes":"n","count":42,"ratio":0.5,"big":123456789012345678901234567890,"on":false,"nothing":null,"info":{"a":[1,"x",{"b":true}]},"list":[1,2],"@odata.context":"x"}""",
        // Values of the wrong kind give null or empty, and the reader goes on past objects and arrays where strings are expected.
        """{"id":5,"appId":"not a guid","displayName":{"x":[1,{"y":2}]},"accountEnabled":"yes","tags":"t","servicePrincipalNames":[1,"a",{"b":"c"},["d"],"e"],"appRoles":{},"oauth2PermissionScopes":"s","signInAudience":["AzureADMyOrg"]}""",
        // A GUID in a form other than "D", and escaped names and values.
        """{"id":"{dbb9c117-cb10-52a2-893c-b425a88690b4}","appId":"00000003000000000000c000000000000","display\u004eame":"Caf\u00e9 \ud83d\ude00 \"q\"","t\u0061gs":["a\nb"]}""",
        // Empty arrays of roles and scopes, and an empty object.
        """{"appRoles":[],"oauth2PermissionScopes":[ ]}""",
        """{}""",
    };

    [Theory]
    [MemberData(nameof(Objects))]
    public void ReadsEachObjectAsFromJsonDoes(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        ServicePrincipal expected = ServicePrincipal.FromJson(document.RootElement);

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        ServicePrincipal actual = ServicePrincipal.Read(ref reader, ServicePrincipal.Empty());

        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
        Assert.False(reader.Read());
        Assert.Equal(Shape(expected), Shape(actual));
    }

    [Fact]
    public void TypedFieldsTakeTheExactCaseAndTheLastValue()
    {
        ServicePrincipal sp = ReadOne("""{"DisplayName":"other case","displayName":"first","displayName":"last","extra":1}""");

        Assert.Equal("last", sp.DisplayName);
        Assert.Equal(new[] { "extra" }, sp.AdditionalProperties.Keys);
        Assert.Equal(1L, sp.AdditionalProperties["extra"]);
    }

    [Fact]
    public void APageIsReadIntoItsObjectsItsNextLinkAndItsCount()
    {
        const string page = """{"@odata.context":"c","@odata.count":3,"value":[{"id":"dbb9c117-cb10-52a2-893c-b425a88690b4"},"x",5,null,[1],{"displayName":"b"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken=a"}""";

        ODataItemPage<ServicePrincipal> read = Parse(page);

        Assert.Equal("https://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken=a", read.NextLink);
        Assert.Equal(3L, read.Count);
        Assert.Equal(
            new JsonTokenType?[] { null, JsonTokenType.String, JsonTokenType.Number, JsonTokenType.Null, JsonTokenType.StartArray, null },
            read.Items!.Select(i => i.NotAnObject));
        Assert.Equal(Guid.Parse("dbb9c117-cb10-52a2-893c-b425a88690b4"), read.Items![0].Value.Id);
        Assert.Equal("b", read.Items![5].Value.DisplayName);
    }

    [Theory]
    [InlineData("""{"value":[],"@odata.nextLink":"https://a/1","odata.nextLink":"https://a/2"}""", "https://a/1")]
    [InlineData("""{"value":[],"odata.nextLink":"https://a/2"}""", "https://a/2")]
    [InlineData("""{"value":[],"@odata.nextLink":null,"odata.nextLink":"https://a/2"}""", null)]
    [InlineData("""{"value":[],"@odata.nextLink":""}""", null)]
    [InlineData("""{"value":[],"@odata.nextLink":{"href":"https://a/1"}}""", null)]
    public void TheNextLinkIsChosenAsTheDocumentReaderChoosesIt(string page, string? expected)
    {
        using JsonDocument document = JsonDocument.Parse(page);
        JsonElement root = document.RootElement;
        string? fromDocument = (root.TryGetProperty("@odata.nextLink", out JsonElement link) || root.TryGetProperty("odata.nextLink", out link))
            && link.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(link.GetString()) ? link.GetString() : null;

        Assert.Equal(expected, fromDocument);
        Assert.Equal(expected, Parse(page).NextLink);
    }

    [Theory]
    [InlineData("""{"value":{}}""")]
    [InlineData("""{"items":[]}""")]
    [InlineData("""[{"value":[]}]""")]
    [InlineData("\"value\"")]
    public void APageWithoutAValueArrayHasNoItems(string page) => Assert.Null(Parse(page).Items);

    [Theory]
    [InlineData("""{"value":[]} {"value":[]}""")]
    [InlineData("""{"value":[{"id":"x",}]}""")]
    [InlineData("""{"value":[{"id":"x"}]""")]
    [InlineData("""{"value":[{"appRoles":[{"id":1]}]}""")]
    [InlineData("""{"value":[],"other":tru}""")]
    [InlineData("   ")]
    public void MalformedJsonAnywhereInThePageThrows(string page) =>
        Assert.ThrowsAny<JsonException>(() => Parse(page));

    [Fact]
    public void ACountThatIsNotAnIntegerIsNone() =>
        Assert.Null(Parse("""{"@odata.count":"3","value":[]}""").Count);

    private static ODataItemPage<ServicePrincipal> Parse(string page) =>
        ODataItemPage<ServicePrincipal>.Parse(Encoding.UTF8.GetBytes(page), (ref Utf8JsonReader r) => ServicePrincipal.Read(ref r, ServicePrincipal.Empty()));

    private static ServicePrincipal ReadOne(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return ServicePrincipal.Read(ref reader, ServicePrincipal.Empty());
    }

    // Every public property, the additional ones in name order, as JSON: equal shapes are equal objects.
    private static string Shape(ServicePrincipal sp) => JsonSerializer.Serialize(new
    {
        sp.Id, sp.AppId, sp.DisplayName, sp.AppDisplayName, sp.ServicePrincipalType, sp.AccountEnabled, sp.AppOwnerOrganizationId,
        sp.SignInAudience, sp.ServicePrincipalNames, sp.Tags, sp.AppRoles, sp.Oauth2PermissionScopes,
        Additional = sp.AdditionalProperties.OrderBy(p => p.Key, StringComparer.Ordinal).ToList(),
    });
}

using System.Buffers;
using System.Text.Json;
using M365.Sandbox.Graph.ServicePrincipals;
using Microsoft.AspNetCore.Http;

namespace M365.Sandbox.Tests.Resources;

public sealed class ServicePrincipalCatalogTests
{
    private static readonly Guid Tenant = Guid.Parse("11111111-2222-3333-4444-555555555555");

    [Fact]
    public void Generated_principals_are_deterministic_distinct_and_findable()
    {
        var a = new ServicePrincipalCatalog(5000, Tenant);
        var b = new ServicePrincipalCatalog(5000, Tenant);
        Assert.Equal(a[4000], b[4000], ServicePrincipalComparer.Instance);
        Assert.Equal(5007, a.Count);
        var ids = Enumerable.Range(0, a.Count).Select(i => a[i].Id).ToHashSet();
        Assert.Equal(a.Count, ids.Count);
        Assert.Equal(a.Count, Enumerable.Range(0, a.Count).Select(i => a[i].DisplayName.ToLowerInvariant()).Distinct().Count());

        var sp = a[1234];
        Assert.True(a.TryFindById(sp.Id, out var position));
        Assert.Equal(1234, position);
        Assert.Equal(new[] { 1234 }, a.FindByAppId(sp.AppId));
        Assert.Equal(new[] { 1234 }, a.FindByDisplayName(sp.DisplayName.ToUpperInvariant()));
    }

    [Fact]
    public void Well_known_Microsoft_principals_come_first()
    {
        var catalog = new ServicePrincipalCatalog(10, Tenant);
        Assert.Single(catalog.FindByAppId(Guid.Parse("00000003-0000-0ff1-ce00-000000000000")));
        Assert.Equal("Microsoft Graph", catalog[0].DisplayName);
        Assert.Single(catalog.FindByAppId(Guid.Parse("31359c7f-bd7e-475c-86db-fdb8c937548e")));
    }

    [Theory]
    [InlineData("appId eq '00000003-0000-0000-c000-000000000000'", "appId", "00000003-0000-0000-c000-000000000000")]
    [InlineData("  DisplayName   eq 'It''s here'  ", "displayName", "It's here")]
    [InlineData("displayName eq ''", "displayName", "")]
    public void Filters_parse_with_doubled_quote_escaping(string text, string property, string value)
    {
        var filter = ServicePrincipalFilter.Parse(text, out _, out _);
        Assert.NotNull(filter);
        Assert.Equal(property, filter.Property);
        Assert.Equal(value, filter.Value);
    }

    [Theory]
    [InlineData("appId eq 'a' and")]
    [InlineData("displayName eq 'unterminated")]
    [InlineData("displayName eq 'a'b'")]
    [InlineData("startswith(displayName)")]
    [InlineData("displayName ne 'a'")]
    [InlineData("appId eq 5")]
    public void Other_filters_are_refused(string text)
    {
        Assert.Null(ServicePrincipalFilter.Parse(text, out var code, out var message));
        Assert.NotNull(code);
        Assert.NotNull(message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(123456)]
    public void Skip_tokens_round_trip_and_reject_tampering(int position)
    {
        var token = SkipToken.Encode(position);
        Assert.True(SkipToken.TryDecode(token, out var decoded));
        Assert.Equal(position, decoded);
        var tampered = (token[0] == 'A' ? 'B' : 'A') + token[1..];
        Assert.False(SkipToken.TryDecode(tampered, out _));
        Assert.False(SkipToken.TryDecode("", out _));
    }

    [Fact]
    public void A_page_serializes_the_selected_fields_with_a_next_link()
    {
        var catalog = new ServicePrincipalCatalog(2000, Tenant);
        var query = ServicePrincipalListQuery.Parse(
            new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["$top"] = "999", ["$select"] = "id,displayName" }),
            new HeaderDictionary(), beta: false, out _, out _)!;
        var page = ServicePrincipalPage.Create(catalog, query, "v1.0", new[] { KeyValuePair.Create("$top", "999"), KeyValuePair.Create("$select", "id,displayName") });
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ServicePrincipalPageWriter.Write(writer, page);
        }

        var json = JsonDocument.Parse(buffer.WrittenMemory).RootElement;
        Assert.Equal(999, json.GetProperty("value").GetArrayLength());
        Assert.StartsWith("https://graph.microsoft.com/v1.0/servicePrincipals?$top=999&$select=id%2CdisplayName&$skiptoken=", json.GetProperty("@odata.nextLink").GetString());
        Assert.Equal(2, json.GetProperty("value")[500].EnumerateObject().Count());
    }

    private sealed class ServicePrincipalComparer : IEqualityComparer<ServicePrincipal>
    {
        public static readonly ServicePrincipalComparer Instance = new();

        public bool Equals(ServicePrincipal? x, ServicePrincipal? y) =>
            x is not null && y is not null && x.Id == y.Id && x.AppId == y.AppId && x.DisplayName == y.DisplayName
            && x.CreatedDateTime == y.CreatedDateTime && x.AppRoles.Count == y.AppRoles.Count;

        public int GetHashCode(ServicePrincipal obj) => obj.Id.GetHashCode();
    }
}

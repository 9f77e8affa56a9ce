using CsCheck;
using M365.Core.Http;

namespace M365.Core.Tests.Properties;

/// <summary>
/// OData paging against hostile pages: requests and tokens never leave the collection's origin, no page is asked for twice,
/// and paging ends normally or with one of the documented ids, never another error.
/// </summary>
public sealed class ODataPagerProperties : PropertySuite<ODataPagerProperties>, IPropertySuite
{
    private const string First = "https://graph.microsoft.com/v1.0/servicePrincipals?$top=2";

    private static readonly string[] Documented =
    [
        HttpErrorIds.ODataNextLinkForeignHost, HttpErrorIds.ODataNextLinkLoop, HttpErrorIds.ODataPageLimitExceeded, HttpErrorIds.ODataPageInvalid,
        HttpErrorIds.ResponseNotJson, HttpErrorIds.RequestThrottled, HttpErrorIds.ServiceError, HttpErrorIds.BadRequest, HttpErrorIds.ResourceNotFound,
    ];

    private static readonly Gen<string> NextLink = Gen.Frequency(
        (4, Gen.Int[0, 6].Select(n => "https://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken=" + n)),
        (2, Gen.Int[0, 6].Select(n => "/v1.0/servicePrincipals?$skiptoken=" + n)),
        (1, Gen.OneOf<string>(
            "https://evil.example/v1.0/servicePrincipals", "http://graph.microsoft.com/v1.0/x", "https://graph.microsoft.com:444/v1.0/x",
            "https://graph.microsoft.com.evil.example/v1.0/x", "https://evil.example@graph.microsoft.com/v1.0/x", "//evil.example/x",
            "https://GRAPH.microsoft.com/v1.0/servicePrincipals?$skiptoken=9", "javascript:alert(1)", "file:///etc/passwd", "\\\\evil\\share",
            "https://\u212aontoso.sharepoint.com/x", First)),
        (1, Generators.AnyString),
        (1, Generators.Mutated(Gen.Const("https://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken=1"))));

    /// <summary>A page: a value array (or not), and a nextLink in either spelling, as a string or another JSON value.</summary>
    private static readonly Gen<(int Status, string Body)> Page = Gen.Select(
            Gen.Frequency((12, Gen.Const(200)), (1, Gen.OneOf<int>(400, 404, 429, 500))),
            Gen.Frequency((6, Gen.Int[0, 3].Select(n => "[" + string.Join(",", Enumerable.Range(0, n).Select(i => "{\"id\":\"" + i + "\"}")) + "]")), (1, Generators.JsonValue(1))),
            Gen.Frequency((3, NextLink.Select(Generators.Quote)), (1, Generators.JsonValue(1))),
            Gen.OneOf<string>("@odata.nextLink", "odata.nextLink", "@odata.nextlink"),
            Gen.Frequency((20, Gen.Const(false)), (1, Gen.Const(true))))
        .Select(t => (t.Item1, t.Item5 ? "<html>busy</html>" : Generators.JsonObject([("\"value\"", t.Item2), (Generators.Quote(t.Item4), t.Item3)])));

    public static IEnumerable<PropertyTarget> Targets =>
    [
        new("odata", nameof(PagingStaysOnItsOriginAndEndsWithADocumentedId), PagingStaysOnItsOriginAndEndsWithADocumentedId),
    ];

    private static void PagingStaysOnItsOriginAndEndsWithADocumentedId(PropertyRun run) =>
        run.Check(Gen.Select(Page.Array[1, 8], Gen.Int[1, 8]), t =>
        {
            ((int Status, string Body)[] pages, int maxPages) = t;
            int served = 0;
            using var graph = new FakeGraph((request, body) =>
            {
                (int status, string text) = pages[Math.Min(served++, pages.Length - 1)];
                return FakeGraph.Answer(status, text, text.StartsWith('<') ? "text/html" : "application/json");
            }, maxPages: maxPages);

            int handed = 0;
            Exception? failure = Record.Exception(() => Task.Run(async () =>
            {
                await foreach (var page in graph.Sender.GetPagesAsync(new Uri(First)))
                {
                    handed++;
                }
            }).GetAwaiter().GetResult());

            var requests = graph.Handler.Requests.Select(r => r.Request).ToList();
            Assert.All(requests, r =>
            {
                Assert.Equal("https://graph.microsoft.com", r.RequestUri!.GetLeftPart(UriPartial.Authority));
                Assert.Equal("Bearer " + FakeGraph.TokenFor(new Uri("https://graph.microsoft.com")), r.Headers.Authorization?.ToString());
            });
            Assert.Equal(requests.Count, requests.Select(r => r.RequestUri!.AbsoluteUri).Distinct().Count());
            Assert.True(requests.Count <= maxPages);
            Assert.True(handed <= requests.Count);
            if (failure != null)
            {
                M365HttpException error = FakeGraph.HttpError(failure);
                Assert.Contains(error.ErrorId, Documented);
            }
        }, t => string.Join(" | ", t.Item1.Select(p => p.Status + " " + p.Body)) + " max " + t.Item2);
}

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using M365.Core;
using M365.Core.Authentication;
using M365.Core.Clouds;
using M365.Core.Http;
using M365.Core.Resources;
using M365.Core.Services.Graph;
using M365.Core.Tests.Properties;
using M365.Core.Tests.TestDoubles;
using Polly;

namespace M365.SharpFuzz;

/// <summary>An input broke a parser's documented behaviour without an exception of its own (a wrong answer, not a crash).</summary>
public sealed class PropertyViolation(string message) : Exception(message);

/// <summary>
/// One fuzz target per parser. Each feeds the input bytes to the parser the way the network or the user hands them over,
/// and lets escape only what the parser does not document: an exception other than the documented M365Exception ids, or a
/// <see cref="PropertyViolation"/> when a result breaks what the CsCheck properties (tests/M365.Core.Tests/Properties) assert.
/// afl-fuzz counts anything that escapes as a crash.
/// </summary>
public static class Targets
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Ceiling = TimeSpan.FromDays(1);

    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["retry-after"] = RetryAfter,
        ["www-authenticate"] = WwwAuthenticate,
        ["odata"] = OData,
        ["batch"] = Batch,
        ["jwt"] = Jwt,
        ["sandbox-descriptor"] = SandboxDescriptorText,
        ["urls"] = Urls,
    };

    /// <summary>Header values: .NET reads response header bytes as Latin-1, so every byte is one character.</summary>
    private static string HeaderText(byte[] input) => Encoding.Latin1.GetString(input);

    /// <summary>Header lines of one answer: what HttpClient hands over never holds CR, LF or NUL.</summary>
    private static string[] HeaderLines(byte[] input) => HeaderText(input).Split('\r', '\n', '\0');

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new PropertyViolation(message);
        }
    }

    /// <summary>Retry-After: each line gives nothing or a delay from 0 to the ceiling, only for seconds or an HTTP date; the pipeline's delay never exceeds the cap.</summary>
    private static void RetryAfter(byte[] input)
    {
        string[] lines = HeaderLines(input);
        foreach (string line in lines)
        {
            TimeSpan? delay = RetryAfterParser.Parse(line, Now);
            if (delay is null)
            {
                continue;
            }

            Check(delay >= TimeSpan.Zero && delay <= Ceiling, $"'{line}' gave {delay}");
            Check(RetryAfterForms.IsSecondsOrHttpDate(line), $"'{line}' was accepted as a Retry-After");
        }

        TimeSpan cap = TimeSpan.FromSeconds(1 + (input.Length == 0 ? 0 : input[0] % 120));
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        foreach (string line in lines)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", line);
        }

        TimeSpan? capped = HttpResiliencePipelineFactory.DelayFromRetryAfter(Outcome.FromResult(response), new FixedTime(Now), cap);
        Check(capped is null || (capped >= TimeSpan.Zero && capped <= cap), $"gave {capped} over a cap of {cap}");
    }

    /// <summary>
    /// WWW-Authenticate: parsing never throws; a claims challenge found has a JSON object for claims and a short, clean
    /// description; an answer with the header as its only value finds the same challenge.
    /// </summary>
    private static void WwwAuthenticate(byte[] input)
    {
        string[] lines = HeaderLines(input);
        ClaimsChallenge? first = null;
        foreach (string line in lines)
        {
            ClaimsChallenge? challenge = ClaimsChallenge.Parse(line);
            if (challenge is null)
            {
                continue;
            }

            first ??= challenge;
            Check(challenge.Claims.Length <= ClaimsChallenge.MaxClaimsLength, $"claims of {challenge.Claims.Length} characters");
            using (JsonDocument claims = JsonDocument.Parse(challenge.Claims))
            {
                Check(claims.RootElement.ValueKind == JsonValueKind.Object, "claims that are not a JSON object: " + challenge.Claims);
            }

            Check(
                challenge.Description is null || (challenge.Description.Length <= 301 && !challenge.Description.Any(char.IsControl) && challenge.Description.Trim() == challenge.Description && challenge.Description.Length > 0),
                "description '" + challenge.Description + "'");
        }

        using var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        foreach (string line in lines)
        {
            response.Headers.TryAddWithoutValidation("WWW-Authenticate", line);
        }

        ClaimsChallenge? fromResponse = ClaimsChallenge.FromResponse(response);
        if (fromResponse != null)
        {
            using JsonDocument claims = JsonDocument.Parse(fromResponse.Claims);
            Check(claims.RootElement.ValueKind == JsonValueKind.Object, "claims that are not a JSON object: " + fromResponse.Claims);
        }

        if (lines.Length == 1)
        {
            Check((first is null) == (fromResponse is null), $"the header alone {(first is null ? "has no" : "has a")} claims challenge, the answer {(fromResponse is null ? "none" : "one")}");
        }
    }

    private const string FirstPage = "https://graph.microsoft.com/v1.0/servicePrincipals?$top=2";

    /// <summary>
    /// The documented ids of an answer whose status is an error, or whose body is not JSON. The CsCheck properties list
    /// fewer because their fake Graph answers only 400, 404, 429 and 500; here the input picks any status from 200 to 599.
    /// </summary>
    private static readonly string[] StatusErrors =
    [
        HttpErrorIds.ResponseNotJson, HttpErrorIds.RequestThrottled, HttpErrorIds.ServiceUnavailable, HttpErrorIds.GatewayTimeout,
        HttpErrorIds.ResourceNotFound, HttpErrorIds.AccessDenied, HttpErrorIds.Unauthorized, HttpErrorIds.BadRequest, HttpErrorIds.Conflict,
        HttpErrorIds.ServiceError, HttpErrorIds.RedirectNotFollowed, HttpErrorIds.RedirectToForeignHost,
    ];

    private static readonly string[] ODataDocumented =
    [
        .. StatusErrors, HttpErrorIds.ODataNextLinkForeignHost, HttpErrorIds.ODataNextLinkLoop, HttpErrorIds.ODataPageLimitExceeded, HttpErrorIds.ODataPageInvalid,
    ];

    /// <summary>
    /// OData paging: the input's first byte bounds the pages (1 to 8); the rest, split at NUL bytes, are the answers in turn
    /// (the last one repeats), each a body, or "NNN " and a body for another status. Requests and the token never leave the
    /// collection's origin, no page is asked for twice (a request sent again after a 401, with a fresh token, is the same
    /// page), and paging ends normally or with a documented id.
    /// </summary>
    private static void OData(byte[] input)
    {
        int maxPages = 1 + (input.Length == 0 ? 0 : input[0] % 8);
        List<(int Status, byte[] Body)> answers = Answers(input.Length == 0 ? input : input[1..]);
        var statuses = new List<int>();
        using var graph = new FakeGraph((request, body) =>
        {
            (int Status, byte[] Body) answer = answers[Math.Min(statuses.Count, answers.Count - 1)];
            statuses.Add(answer.Status);
            return Answer(answer);
        }, maxPages: maxPages);

        int handed = 0;
        Exception? failure = null;
        try
        {
            Task.Run(async () =>
            {
                await foreach (JsonElement page in graph.Sender.GetPagesAsync(new Uri(FirstPage)))
                {
                    handed++;
                }
            }).GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        var requests = graph.Handler.Requests.Select(r => r.Request).ToList();
        foreach (HttpRequestMessage request in requests)
        {
            Check(request.RequestUri!.GetLeftPart(UriPartial.Authority) == "https://graph.microsoft.com", "a request to " + request.RequestUri);
            Check(request.Headers.Authorization?.ToString() == "Bearer " + FakeGraph.TokenFor(new Uri("https://graph.microsoft.com")), "a request to " + request.RequestUri + " with " + request.Headers.Authorization);
        }

        // A 401 is answered by sending the same request once more with a fresh token; every other request asks for a new page.
        var pages = requests.Where((r, i) => i == 0 || statuses[i - 1] != 401 || r.RequestUri != requests[i - 1].RequestUri).ToList();
        Check(pages.Count == pages.Select(r => r.RequestUri!.AbsoluteUri).Distinct().Count(), "a page asked for twice");
        Check(pages.Count <= maxPages, $"{pages.Count} pages asked for, at most {maxPages} allowed");
        Check(handed <= requests.Count, $"{handed} pages handed out for {requests.Count} requests");
        if (failure != null && !(failure is M365HttpException error && ODataDocumented.Contains(error.ErrorId)))
        {
            throw new PropertyViolation("paging ended with an undocumented error: " + failure);
        }
    }

    /// <summary>
    /// Graph $batch: the input's first byte is the number of requests (1 to 45); the rest, split at NUL bytes, are the
    /// answers to the POSTs in turn (the last one repeats), as for <see cref="OData"/>. Every request gets one answer, in
    /// input order, with a consistent status; a whole failure has a documented id.
    /// </summary>
    private static void Batch(byte[] input)
    {
        int count = 1 + (input.Length == 0 ? 0 : input[0] % 45);
        List<(int Status, byte[] Body)> answers = Answers(input.Length == 0 ? input : input[1..]);
        GraphBatchRequest[] requests = Enumerable.Range(0, count).Select(i => GraphBatchRequest.Get("servicePrincipals/" + i)).ToArray();
        int posted = 0;
        using var graph = new FakeGraph((request, body) => Answer(answers[Math.Min(posted++, answers.Count - 1)]), maxRetries: 2);
        // One batch at a time, so the answers go to the POSTs in a reproducible order.
        var sender = new GraphBatchSender(graph.Sender, new Uri("https://graph.microsoft.com")) { MaxBatchesInFlight = 1 };

        IReadOnlyList<GraphBatchResponse> responses;
        try
        {
            responses = Task.Run(() => sender.SendAsync(requests)).GetAwaiter().GetResult();
        }
        catch (M365HttpException ex) when (StatusErrors.Contains(ex.ErrorId))
        {
            return;
        }

        foreach ((HttpRequestMessage request, string? _) in graph.Handler.Requests)
        {
            Check(request.RequestUri!.AbsoluteUri == "https://graph.microsoft.com/v1.0/$batch", "a POST to " + request.RequestUri);
        }

        Check(posted <= ((count + 19) / 20) * 3 * 3, $"{posted} batches for {count} requests");
        Check(responses.Count == count, $"{responses.Count} answers for {count} requests");
        for (int i = 0; i < count; i++)
        {
            GraphBatchResponse response = responses[i];
            Check(ReferenceEquals(requests[i], response.Request) && response.Index == i, $"answer {i} is for request {response.Index}");
            Check(response.IsSuccess == response.Status is >= 200 and <= 299, $"answer {i}: status {response.Status}, success {response.IsSuccess}");
            Check(response.IsSuccess || response.Error != null, $"answer {i}: status {response.Status} without an error");
            Check(response.Attempts is >= 1 and <= 3, $"answer {i}: {response.Attempts} attempts");
            Check(!response.IsBatchFailure || StatusErrors.Contains(response.Error!.ErrorId), $"answer {i}: the whole batch failed with an undocumented error: {response.Error}");
        }
    }

    /// <summary>
    /// What needs M365.Core to start. Kept out of <see cref="Targets"/>' own statics: the instrumented M365.Core.dll must not
    /// run before SharpFuzz has set up the coverage map (in the fork server's parent process it never does).
    /// </summary>
    private static class Core
    {
        public static readonly M365Resource Graph = new ResourceResolver(CloudEnvironment.Public).Graph;
    }

    /// <summary>JWT: the input is a token's payload (and, as text, a whole token); reading gives claims or none, never an error.</summary>
    private static void Jwt(byte[] input)
    {
        foreach (string token in new[] { "eyJhbGciOiJub25lIn0." + TestJwt.Encode(input) + ".c2ln", Encoding.UTF8.GetString(input) })
        {
            IReadOnlyDictionary<string, object?> claims = JwtPayloadReader.ReadClaims(token);
            var accessToken = new AccessToken(token, DateTimeOffset.UnixEpoch, Core.Graph);
            Check(claims.Count == accessToken.Claims.Count, $"{claims.Count} claims read, {accessToken.Claims.Count} on the token");
            Check(accessToken.Roles.All(role => role != null), "a null role");
            Check(accessToken.Scopes.All(scope => !string.IsNullOrWhiteSpace(scope)), "an empty scope");
            _ = accessToken.ToString();
        }
    }

    private static readonly string DescriptorPath = Path.Combine(Path.GetTempPath(), $"m365-sharpfuzz-{Environment.ProcessId}.json");

    /// <summary>Sandbox descriptor: the input as text, and as a file; either a loopback https descriptor or SandboxDescriptorInvalid.</summary>
    private static void SandboxDescriptorText(byte[] input)
    {
        CheckDescriptor(() => SandboxDescriptor.Parse(Encoding.UTF8.GetString(input)));
        File.WriteAllBytes(DescriptorPath, input);
        CheckDescriptor(() => SandboxDescriptor.Load(DescriptorPath));
        Check(input.Length <= SandboxDescriptor.MaxDescriptorBytes || Throws(() => SandboxDescriptor.Load(DescriptorPath)), $"a descriptor of {input.Length} bytes was read");
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (M365Exception)
        {
            return true;
        }
    }

    private static void CheckDescriptor(Func<SandboxDescriptor> parse)
    {
        SandboxDescriptor descriptor;
        try
        {
            descriptor = parse();
        }
        catch (M365Exception ex) when (ex.ErrorId == TransportErrorIds.SandboxDescriptorInvalid)
        {
            return;
        }

        Check(descriptor.Url.Scheme == Uri.UriSchemeHttps, "not https: " + descriptor.Url);
        Check(IPAddress.TryParse(descriptor.Url.Host, out IPAddress? address) && IPAddress.IsLoopback(address), "not loopback: " + descriptor.Url);
        Check(descriptor.Port == descriptor.Url.Port, $"port {descriptor.Port} for {descriptor.Url}");
        Check(descriptor.CertificateSha256.Length == 64, "pin " + descriptor.CertificateSha256);
    }

    private static readonly string[] NameDocumented =
    [
        ResourceErrorIds.ResourceNameUnknown, ResourceErrorIds.SharePointTenantUnknown, ResourceErrorIds.ResourceNotInCloud, ResourceErrorIds.ResourceUrlNotHttps,
    ];

    private static readonly Regex TenantName = new("^[a-z0-9]{1,63}$", RegexOptions.CultureInvariant);

    /// <summary>
    /// User URLs and tenant names, in every cloud: an https URL gets a resource that covers it (any other is
    /// ResourceUrlNotHttps); a name resolves or gives a documented id; a tenant normalizes to one lower-case name whatever
    /// the form; an initial-domain hint is always a valid name.
    /// </summary>
    private static void Urls(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        foreach (CloudEnvironment cloud in CloudEnvironment.All)
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out Uri? url))
            {
                var resolver = new ResourceResolver(cloud, "contoso");
                if (url.Scheme != Uri.UriSchemeHttps || url.GetLeftPart(UriPartial.Authority).Contains('@'))
                {
                    try
                    {
                        resolver.FromUrl(url);
                        throw new PropertyViolation($"{url} got a resource");
                    }
                    catch (M365Exception ex) when (ex.ErrorId == ResourceErrorIds.ResourceUrlNotHttps)
                    {
                    }
                }
                else
                {
                    M365Resource resource = resolver.FromUrl(url);
                    Check(resource.Covers(url), $"{resource} does not cover {url} in {cloud.Name}");
                    Check(resource.Origin.Scheme == Uri.UriSchemeHttps, $"{resource} for {url}");
                }
            }

            foreach (string? tenant in new[] { "contoso", null })
            {
                var resolver = new ResourceResolver(cloud, tenant);
                if (string.IsNullOrWhiteSpace(text))
                {
                    try
                    {
                        resolver.FromName(text);
                        throw new PropertyViolation($"'{text}' named a resource");
                    }
                    catch (ArgumentException)
                    {
                    }

                    continue;
                }

                try
                {
                    Check(resolver.FromName(text).Origin.Scheme == Uri.UriSchemeHttps, $"'{text}' named a resource without https");
                }
                catch (M365Exception ex) when (NameDocumented.Contains(ex.ErrorId))
                {
                }
            }

            string? normalized = null;
            try
            {
                normalized = new ResourceResolver(cloud, text).SharePointTenant!;
            }
            catch (M365Exception ex) when (ex.ErrorId == ResourceErrorIds.SharePointTenantInvalid)
            {
            }

            if (normalized != null)
            {
                Check(TenantName.IsMatch(normalized), $"'{text}' became '{normalized}'");
                Check(new string(text.Select(c => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c).ToArray()).Contains(normalized, StringComparison.Ordinal), $"'{text}' became '{normalized}', which it does not spell");
                foreach (string form in new[] { normalized.ToUpperInvariant(), $"https://{normalized}.{cloud.SharePointSuffix}", $"https://{normalized}-admin.{cloud.SharePointSuffix}/sites/x", $" {normalized}-my.{cloud.SharePointSuffix} " })
                {
                    Check(new ResourceResolver(cloud).WithSharePointTenant(form).SharePointTenant == normalized, $"'{form}' is not '{normalized}'");
                }

                Check(new ResourceResolver(cloud, text).FromName("SharePoint").Origin == new Uri($"https://{normalized}.{cloud.SharePointSuffix}"), $"'{text}': SharePoint is not {normalized}");
            }
        }

        foreach (string domain in new[] { text, text + ".onmicrosoft.com" })
        {
            string? hint = ResourceResolver.SharePointTenantFromInitialDomain(domain);
            if (hint != null)
            {
                Check(new ResourceResolver(CloudEnvironment.Public, hint).SharePointTenant == hint, $"the hint '{hint}' of '{domain}' is not a tenant name");
                Check(string.Equals(domain.Substring(0, domain.Length - ".onmicrosoft.com".Length), hint, StringComparison.OrdinalIgnoreCase), $"the hint '{hint}' of '{domain}'");
            }
        }
    }

    /// <summary>Answers split at NUL bytes; "NNN " at the start of one is its status (200 otherwise).</summary>
    private static List<(int Status, byte[] Body)> Answers(byte[] input)
    {
        var answers = new List<(int, byte[])>();
        int start = 0;
        for (int i = 0; i <= input.Length; i++)
        {
            if (i == input.Length || input[i] == 0)
            {
                byte[] part = input[start..i];
                int status = 200;
                if (part.Length >= 4 && part[3] == ' ' && part[0] is >= (byte)'2' and <= (byte)'5' && part[1..3].All(b => b is >= (byte)'0' and <= (byte)'9'))
                {
                    status = int.Parse(Encoding.ASCII.GetString(part, 0, 3), CultureInfo.InvariantCulture);
                    part = part[4..];
                }

                answers.Add((status, part));
                start = i + 1;
            }
        }

        return answers;
    }

    private static HttpResponseMessage Answer((int Status, byte[] Body) answer)
    {
        var content = new ByteArrayContent(answer.Body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(answer.Body.Length > 0 && answer.Body[0] == '<' ? "text/html" : "application/json");
        return new HttpResponseMessage((HttpStatusCode)answer.Status) { Content = content };
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

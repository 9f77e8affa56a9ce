using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using M365.Core.Services.Graph;
using M365.Core.Services.SharePoint;
using M365.Core.Tests.Services;
using M365.Sandbox.Control;

namespace M365.Core.Tests.Soak;

/// <summary>
/// Mixed requests against a sandbox that throttles (429) and fails (503) a tenth of them, with Retry-After in seconds,
/// decimal seconds and HTTP dates. Reduced here (the test command); the scenario runner runs the full size:
/// M365_SOAK_OPERATIONS=10000 dotnet test tests/M365.Core.Tests --filter "FullyQualifiedName~Soak".
/// Every loop is bounded by its operation count and a deadline.
/// </summary>
public sealed partial class ChaosSoakTests : IClassFixture<DelegatedSiteFixture>
{
    private const string Tenant = "https://contoso.sharepoint.com";
    private readonly DelegatedSiteFixture _fixture;

    public ChaosSoakTests(DelegatedSiteFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    private static int Operations =>
        int.TryParse(Environment.GetEnvironmentVariable("M365_SOAK_OPERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 300;

    [Fact]
    public async Task MixedRequestsUnderTenPercentFaultsAllSucceedOnceWithBoundedWaitsAndFewExtraRequests()
    {
        var graphIds = new List<Guid>();
        await foreach (var sp in new ServicePrincipalClient(_fixture.Connection).ListAsync(properties: new[] { "appId" }))
        {
            graphIds.Add(sp.AppId!.Value);
        }

        var forms = new[] { RetryAfterForm.Seconds, RetryAfterForm.DecimalSeconds, RetryAfterForm.HttpDate };
        foreach (var (host, form, status) in new[] { "graph.microsoft.com", "contoso.sharepoint.com" }.SelectMany(h => forms.Select((f, i) => (h, f, i % 2 == 0 ? 429 : 503))))
        {
            // Six rules at 1/60 each: about a tenth of the requests to each host meets a fault.
            _fixture.Sandbox.InjectFault(new FaultRule
            {
                Host = host,
                Status = status,
                Ratio = 1.0 / 60,
                RetryAfterSeconds = form == RetryAfterForm.DecimalSeconds ? 0.2 : 0,
                RetryAfterForm = form,
            });
        }

        var waits = new ConcurrentQueue<double>();
        var sender = _fixture.Connection.Requests.WithVerbose(line =>
        {
            var match = WaitPattern().Match(line);
            if (match.Success)
            {
                waits.Enqueue(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        });
        var principals = new ServicePrincipalClient(_fixture.Connection, sender);
        var sites = new SiteCreationClient(_fixture.Connection, sender) { PollInterval = TimeSpan.FromMilliseconds(200) };
        var created = new List<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(Math.Max(5, Operations / 100)));
        _fixture.Sandbox.ResetRequestLog();

        var failures = new List<string>();
        var requests = 0;
        var faulted = 0;
        var successfulCreates = new List<string>();

        // The sandbox keeps the last 10,000 requests: read and clear its log every 1,000 operations.
        void Harvest()
        {
            var log = _fixture.Sandbox.GetRequestLog().Where(e => !e.IsTokenRequest && e.BatchId is null).ToList();
            _fixture.Sandbox.ResetRequestLog();
            requests += log.Count;
            faulted += log.Count(e => e.FaultId is not null);
            successfulCreates.AddRange(log
                .Where(e => e.Method == "POST" && e.Path.EndsWith("/SPSiteManager/Create", StringComparison.OrdinalIgnoreCase) && e.Status == 200)
                .Select(e => e.Path));
        }

        for (var i = 0; i < Operations; i++)
        {
            if (i > 0 && i % 1000 == 0)
            {
                Harvest();
            }

            try
            {
                switch (i % 10)
                {
                    case 0:
                        var url = $"{Tenant}/sites/soak-{Guid.NewGuid():N}";
                        await sites.SubmitAsync(new SiteCreationRequest(SpoSiteType.CommunicationSite) { Title = "Soak", Url = url }, deadline.Token);
                        created.Add(url);
                        break;
                    case 1:
                    case 2:
                        var read = 0;
                        await foreach (var _ in principals.ListAsync(properties: new[] { "id" }, cancellationToken: deadline.Token))
                        {
                            if (++read == 5)
                            {
                                break;
                            }
                        }

                        break;
                    default:
                        var sp = await principals.GetByAppIdAsync(graphIds[i % graphIds.Count], null, deadline.Token);
                        Assert.Equal(graphIds[i % graphIds.Count], sp.AppId);
                        break;
                }
            }
            catch (Exception ex) when (ex is M365Exception)
            {
                failures.Add($"operation {i}: {ex.Message}");
            }
        }

        Harvest();
        Assert.Empty(failures);
        Assert.True(faulted >= Operations / 40, $"only {faulted} faults were injected into {requests} requests: the drill did not drill");

        // No site created twice: exactly one successful create per site asked for.
        Assert.Equal(created.Count, successfulCreates.Count);

        // No wait above the cap, and at most 1.3 requests per operation. Paging counts each page read as an operation.
        var cap = _fixture.Connection.Requests.Options.MaxDelay.TotalSeconds;
        Assert.All(waits, w => Assert.InRange(w, 0, cap));
        Assert.True(requests <= 1.3 * Operations, $"{requests} requests for {Operations} operations");
    }

    [GeneratedRegex(@"retry \d+ of \d+ in ([\d.]+) s after")]
    private static partial Regex WaitPattern();
}

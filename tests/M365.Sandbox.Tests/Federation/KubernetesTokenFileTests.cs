using System.Text.Json.Nodes;
using M365.Sandbox.Federation;
using Microsoft.Extensions.Time.Testing;

namespace M365.Sandbox.Tests.Federation;

/// <summary>The token file the sandbox keeps fresh as the kubelet does, driven by a fake clock.</summary>
public sealed class KubernetesTokenFileTests
{
    [Fact]
    public async Task The_file_is_owner_only_and_rewritten_when_half_its_lifetime_has_gone()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        await using var sandbox = await TemporarySandbox.StartAsync(o => o.TimeProvider = clock);
        var kubernetes = (await FederationTestKit.StateAsync(sandbox))["kubernetes"]!;
        var path = kubernetes["AZURE_FEDERATED_TOKEN_FILE"]!.GetValue<string>();
        Assert.Equal(Path.Combine(sandbox.StateDirectory, "federation", "kubernetes-token"), path);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var first = File.ReadAllText(path);
        var claims = TemporarySandbox.Claims(first);
        Assert.Equal(FederationIssuers.KubernetesSubject, claims.GetProperty("sub").GetString());
        Assert.Equal(FederationIssuers.ExchangeAudience, claims.GetProperty("aud")[0].GetString());
        Assert.Equal(clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), claims.GetProperty("exp").GetInt64());

        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(first, File.ReadAllText(path));
        clock.Advance(TimeSpan.FromMinutes(1));
        var second = File.ReadAllText(path);
        Assert.NotEqual(first, second);
        Assert.Equal(clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), TemporarySandbox.Claims(second).GetProperty("exp").GetInt64());
        Assert.Equal(2, (await FederationTestKit.StateAsync(sandbox))["kubernetes"]!["issued"]!.GetValue<int>());

        // A new lifetime applies at once, and the next rewrite comes after half of it.
        using var put = await FederationTestKit.ConfigureAsync(sandbox, "kubernetes", """{"lifetimeSeconds":120}""");
        put.EnsureSuccessStatusCode();
        var third = File.ReadAllText(path);
        Assert.Equal(120, TemporarySandbox.Claims(third).GetProperty("exp").GetInt64() - TemporarySandbox.Claims(third).GetProperty("iat").GetInt64());
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.NotEqual(third, File.ReadAllText(path));
        Assert.Equal(4, JsonNode.Parse(await sandbox.Http.GetStringAsync(sandbox.Host.ControlUrl + "/federation"))!["kubernetes"]!["issued"]!.GetValue<int>());
    }
}

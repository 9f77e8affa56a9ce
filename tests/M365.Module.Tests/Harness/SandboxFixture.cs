using M365.Sandbox.Hosting;

namespace M365.Module.Tests.Harness;

/// <summary>
/// One in-process sandbox tenant for the module tests, found by the module through $env:M365_SANDBOX exactly as a
/// user's session finds it. Each test resets what it changes through <see cref="Reset"/>.
/// </summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "m365-module-tests", Guid.NewGuid().ToString("N"));

    public SandboxHost Sandbox { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await StartAsync(_state, interactiveApproval: false);
        Http = Sandbox.CreatePinnedHttpClient();
        Environment.SetEnvironmentVariable("M365_SANDBOX", Sandbox.DescriptorPath);
        Environment.SetEnvironmentVariable("M365_SETTINGS_DIRECTORY", SettingsDirectory);
    }

    /// <summary>The saved defaults of every module test: the sandbox's folder, never a real ~/.m365.</summary>
    public string SettingsDirectory => Path.Combine(_state, "settings");

    public static Task<SandboxHost> StartAsync(string state, bool interactiveApproval) =>
        SandboxHost.StartAsync(new SandboxOptions
        {
            Port = 0,
            StateDirectory = state,
            DeviceCodeIntervalSeconds = 1,
            ServicePrincipalCount = 50,
            InteractiveApproval = interactiveApproval,
        });

    /// <summary>Puts back what tests change: lifetimes, faults, the log, and the app-id variables.</summary>
    public void Reset()
    {
        Sandbox.SetTokenLifetimes(TimeSpan.FromHours(1), TimeSpan.FromDays(90), TimeSpan.FromSeconds(900));
        Sandbox.ClearFaults();
        Sandbox.ClearClaimsChallenges();
        Sandbox.ResetRequestLog();
        Environment.SetEnvironmentVariable("CLIMICROSOFT365_AADAPPID", null);
        Environment.SetEnvironmentVariable("CLIMICROSOFT365_ENTRAAPPID", null);
        Environment.SetEnvironmentVariable("CLIMICROSOFT365_TENANT", null);
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", null);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", null);
        Environment.SetEnvironmentVariable("M365_SANDBOX", Sandbox.DescriptorPath);
        Environment.SetEnvironmentVariable("M365_SETTINGS_DIRECTORY", SettingsDirectory);
        var settings = Path.Combine(SettingsDirectory, "settings.json");
        if (File.Exists(settings))
        {
            File.Delete(settings);
        }
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Sandbox.DisposeAsync();
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SandboxCollection : ICollectionFixture<SandboxFixture>
{
    public const string Name = "Sandbox tenant";
}

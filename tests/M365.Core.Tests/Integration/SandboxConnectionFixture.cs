using System.Security;
using M365.Core.Authentication;
using M365.Core.Connections;
using M365.Core.Http;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;
using CoreSandboxDescriptor = M365.Core.Http.SandboxDescriptor;

namespace M365.Core.Tests.Integration;

/// <summary>
/// One in-process sandbox tenant (3,000 generated service principals) on loopback and an app-only connection to it through
/// the seeded confidential app, shared by the tests of a class. Nothing leaves 127.0.0.1.
/// </summary>
public class SandboxConnectionFixture : IAsyncLifetime
{
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "m365-core-pipeline-tests", Guid.NewGuid().ToString("N"));
    private HttpTransport? _transport;

    public SandboxHost Sandbox { get; private set; } = null!;

    public Connection Connection { get; private set; } = null!;

    /// <summary>The sandbox transport, for further connections.</summary>
    protected HttpTransport Transport => _transport ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>How many generated service principals the tenant serves.</summary>
    protected virtual int ServicePrincipalCount => 3000;

    /// <summary>Changes the sandbox options before it starts.</summary>
    protected virtual void Configure(SandboxOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions { Port = 0, StateDirectory = _stateDirectory, ServicePrincipalCount = ServicePrincipalCount };
        Configure(options);
        Sandbox = await SandboxHost.StartAsync(options);
        _transport = HttpTransport.CreateForSandbox(CoreSandboxDescriptor.Load(Sandbox.DescriptorPath));
        Connection = await new ConnectionFactory(_transport).ConnectAsync(SignIn());
    }

    /// <summary>How the fixture signs in: app-only with the seeded automation app's secret, unless overridden.</summary>
    protected virtual SignInOptions SignIn() => new SignInOptions
    {
        AuthenticationType = AuthenticationType.ClientSecret,
        AppId = SandboxSeed.AutomationAppId.ToString(),
        ClientSecret = Secure(SandboxSeed.AutomationAppSecret),
        Tenant = Sandbox.TenantId.ToString(),
    };

    protected static SecureString Secure(string text)
    {
        var secret = new SecureString();
        foreach (char c in text)
        {
            secret.AppendChar(c);
        }

        return secret;
    }

    /// <summary>Clears faults and the request log between tests.</summary>
    public void Reset()
    {
        Sandbox.ClearFaults();
        Sandbox.ResetRequestLog();
    }

    public async Task DisposeAsync()
    {
        _transport?.Dispose();
        await Sandbox.DisposeAsync();
        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

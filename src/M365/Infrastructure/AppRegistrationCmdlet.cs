using System;
using System.Management.Automation;
using System.Threading;
using M365.Core.Clouds;
using M365.Core.Connections;
using M365.PowerShell.Cmdlets.Registration;

namespace M365.PowerShell.Infrastructure;

/// <summary>
/// What Register-M365App and Unregister-M365App share: the bootstrap sign-in's parameters (cloud, sandbox, first-party
/// app, browser or device code, time bound) and the sign-in itself, which lasts for the one command only.
/// </summary>
public abstract class AppRegistrationCmdlet : M365Cmdlet
{
    /// <summary>The cloud: Public (default), USGov, USGovDoD or China.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    [ValidateNotNullOrEmpty]
    public string Environment { get; set; } = CloudEnvironment.Public.Name;

    /// <summary>Works in the local sandbox tenant ($env:M365_SANDBOX, else ~/.m365-sandbox/sandbox.json).</summary>
    [Parameter]
    public SwitchParameter Sandbox { get; set; }

    /// <summary>The public client to sign in with for the registration; default the Azure CLI app (04b07795-8ddb-461a-bbee-02f9e1bf7b46).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BootstrapAppId { get; set; }

    /// <summary>Signs in in the system browser instead of with a device code.</summary>
    [Parameter]
    public SwitchParameter Interactive { get; set; }

    /// <summary>How long the sign-in (and for Register-M365App, then the wait for the new app to replicate) may each take, in seconds. Default 900.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int Timeout { get; set; } = 900;

    /// <summary>Signs in with the bootstrap app for <paramref name="tenant"/>; stops the command when that fails.</summary>
    private protected (Connection Connection, M365.Core.Http.HttpTransport Transport) SignInForRegistration(string? tenant) =>
        BootstrapConnection.SignIn(this, Sandbox, tenant, Environment, BootstrapAppId, Interactive, TimeSpan.FromSeconds(Timeout));

    /// <summary>Forgets the bootstrap sign-in's tokens: it ends with the command.</summary>
    private protected void EndSignIn(Connection connection) =>
        Await(async _ =>
        {
            await connection.DisconnectAsync(CancellationToken.None).ConfigureAwait(false);
            return true;
        });
}

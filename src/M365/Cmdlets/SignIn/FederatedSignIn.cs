using System;
using M365.Core.Authentication;
using M365.Core.Authentication.Federation;
using M365.Core.Connections;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>
/// App-only with workload identity federation: -FederatedIdentity (the source is found in the environment, or
/// -FederatedTokenFile) or -ClientAssertion (a token the caller has, which cannot be renewed: warned about).
/// </summary>
internal sealed class FederatedSignIn : SignInMethod
{
    public FederatedSignIn(ConnectM365Command command)
        : base(command)
    {
    }

    public override void Validate()
    {
        if (Command.ClientAssertion is not { } assertion)
        {
            return;
        }

        var expires = ClientAssertions.ExpiresOn(assertion);
        var when = expires is { } at
            ? (at <= DateTimeOffset.UtcNow ? " It expired at " : " It expires at ") + TimeText.WithCountdown(at) + "."
            : string.Empty;
        Command.WriteWarning(
            "A token given with -ClientAssertion cannot be renewed: once it expires, token requests fail with ClientAssertionExpired." + when
            + " In a pipeline, use -FederatedIdentity, which fetches a fresh token whenever one is needed.");
    }

    public override void Configure(SignInOptions options, string? tenant)
    {
        options.AuthenticationType = AuthenticationType.FederatedIdentity;
        // Only -Tenant here: the pipeline's own variables (AZURE_TENANT_ID, AZURESUBSCRIPTION_TENANT_ID) come before
        // $env:CLIMICROSOFT365_TENANT, which Core reads last.
        options.Tenant = Command.Tenant;
        options.ClientAssertion = Command.ClientAssertion;
        options.ServiceConnectionId = Command.ServiceConnectionId;
        if (Command.FederatedTokenFile is { } file)
        {
            options.FederatedTokenFile = Command.SessionState.Path.GetUnresolvedProviderPathFromPSPath(file);
        }
    }

    public override void SignedIn(Connection connection) =>
        Command.WriteVerbose($"Signed in with a federated token from {connection.FederatedTokenSource}; {(Command.ClientAssertion is null ? "a new one is fetched whenever Entra ID needs one" : "it is not renewed")}.");
}

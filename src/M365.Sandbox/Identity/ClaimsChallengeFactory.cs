using M365.Sandbox.Directory;

namespace M365.Sandbox.Identity;

/// <summary>Turns the control API's names (a UPN, an app id, a resource URL) into a <see cref="CaeChallenge"/>.</summary>
internal static class ClaimsChallengeFactory
{
    public static CaeChallenge Add(CaeChallenges challenges, TenantDirectory directory, string? userPrincipalName, string? appId, string? resource, bool sticky)
    {
        if (userPrincipalName is null && appId is null && resource is null)
        {
            throw new ArgumentException("Name at least one of user, app and resource.");
        }

        Guid? userId = null;
        if (userPrincipalName is not null)
        {
            userId = (directory.FindUser(userPrincipalName) ?? throw new ArgumentException($"No user '{userPrincipalName}' in the sandbox tenant.")).Id;
        }

        Guid? app = null;
        if (appId is not null)
        {
            // An app registration, or a managed identity by its client id (the appid of its tokens).
            app = Guid.TryParse(appId, out var parsed) && (directory.FindApp(parsed) is not null || directory.Seed.ManagedIdentities.Any(m => m.ClientId == parsed))
                ? parsed
                : throw new ArgumentException($"No app or managed identity '{appId}' in the sandbox tenant.");
        }

        if (resource is not null && (!Uri.TryCreate(resource, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The resource must be an https URL (a token audience such as https://graph.microsoft.com), not '{resource}'.");
        }

        return challenges.Add(userId, app, resource, sticky);
    }
}

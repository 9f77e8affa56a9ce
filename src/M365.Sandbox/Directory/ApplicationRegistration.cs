namespace M365.Sandbox.Directory;

/// <summary>
/// An application object (Graph /applications): the registration of an app, as distinct from its service principal.
/// <see cref="Id"/> is the object id Graph addresses it by; <see cref="AppId"/> is the client id.
/// </summary>
public sealed record ApplicationRegistration(
    Guid Id,
    Guid AppId,
    string DisplayName,
    string SignInAudience,
    bool IsFallbackPublicClient,
    IReadOnlyList<string> IdentifierUris,
    DateTimeOffset CreatedDateTime)
{
    public static ApplicationRegistration FromSeed(SeededApp app, DateTimeOffset created) => new(
        app.ApplicationObjectId,
        app.AppId,
        app.DisplayName,
        app.IsPublicClient ? "AzureADMultipleOrgs" : "AzureADMyOrg",
        app.IsPublicClient,
        app.IdentifierUris.ToArray(),
        created);
}

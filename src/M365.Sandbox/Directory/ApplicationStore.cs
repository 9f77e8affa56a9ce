using System.Collections.Concurrent;

namespace M365.Sandbox.Directory;

/// <summary>
/// The tenant's application objects, seeded from the apps of the seed. Read-only for now (issue 18 adds create, update
/// and delete here); federated credentials live beside it in <see cref="FederatedIdentityCredentialStore"/>. Thread-safe.
/// </summary>
public sealed class ApplicationStore
{
    private static readonly DateTimeOffset Registered = new(2023, 2, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly ConcurrentDictionary<Guid, ApplicationRegistration> _byId = new();

    public ApplicationStore(SandboxSeed seed)
    {
        foreach (var app in seed.Apps)
        {
            _byId[app.ApplicationObjectId] = ApplicationRegistration.FromSeed(app, Registered);
        }
    }

    /// <summary>Every application, in a stable order (by display name, then id).</summary>
    public IReadOnlyList<ApplicationRegistration> List() =>
        _byId.Values.OrderBy(a => a.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id).ToArray();

    public ApplicationRegistration? Find(Guid objectId) => _byId.TryGetValue(objectId, out var app) ? app : null;

    public ApplicationRegistration? FindByAppId(Guid appId) => _byId.Values.FirstOrDefault(a => a.AppId == appId);
}

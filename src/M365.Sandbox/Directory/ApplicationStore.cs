using System.Collections.Concurrent;

namespace M365.Sandbox.Directory;

/// <summary>
/// The tenant's application objects: the seed's apps (not Microsoft's first-party ones, which have only a service
/// principal here) and those created through Graph. New apps replicate after <see cref="ReplicationDelay"/> (Entra ID
/// answers AADSTS700016 for a new app for a while). Federated credentials live beside it in
/// <see cref="FederatedIdentityCredentialStore"/>. Thread-safe.
/// </summary>
public sealed class ApplicationStore
{
    private static readonly DateTimeOffset Registered = new(2023, 2, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly ConcurrentDictionary<Guid, ApplicationRegistration> _byId = new();
    private readonly TimeProvider _time;

    public ApplicationStore(SandboxSeed seed, TimeProvider time)
    {
        _time = time;
        foreach (var app in seed.Apps.Where(a => !a.IsFirstParty))
        {
            _byId[app.ApplicationObjectId] = ApplicationRegistration.FromSeed(app, Registered);
        }
    }

    /// <summary>How long an app created through Graph answers AADSTS700016 before it can sign in (0 by default).</summary>
    public TimeSpan ReplicationDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Every application, in a stable order (by creation, then display name, then id).</summary>
    public IReadOnlyList<ApplicationRegistration> List() => _byId.Values
        .OrderBy(a => a.CreatedDateTime).ThenBy(a => a.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id).ToArray();

    public ApplicationRegistration? Find(Guid objectId) => _byId.TryGetValue(objectId, out var app) ? app : null;

    public ApplicationRegistration? FindByAppId(Guid appId) => _byId.Values.FirstOrDefault(a => a.AppId == appId);

    /// <summary>Registers a new app now: a fresh object id and app id, created and replicated on the sandbox clock.</summary>
    public ApplicationRegistration Create(ApplicationRegistration draft)
    {
        var now = _time.GetUtcNow();
        var app = draft with
        {
            Id = Guid.NewGuid(),
            AppId = Guid.NewGuid(),
            CreatedDateTime = now,
            AvailableFrom = now + ReplicationDelay,
        };
        _byId[app.Id] = app;
        return app;
    }

    /// <summary>Applies a change to an app; null when it no longer exists.</summary>
    public ApplicationRegistration? Update(Guid objectId, Func<ApplicationRegistration, ApplicationRegistration> change)
    {
        while (_byId.TryGetValue(objectId, out var current))
        {
            var changed = change(current);
            if (_byId.TryUpdate(objectId, changed, current))
            {
                return changed;
            }
        }

        return null;
    }

    public ApplicationRegistration? Remove(Guid objectId) => _byId.TryRemove(objectId, out var app) ? app : null;
}

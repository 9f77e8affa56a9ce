using M365.Sandbox.Hosting;

namespace M365.Sandbox.Directory;

/// <summary>
/// The federatedIdentityCredentials of each application object, keyed by its object id: seeded from the seed's apps,
/// changed through Graph. Enforces Entra ID's rules: at most 20 per app, names and issuer/subject pairs unique per app.
/// </summary>
public sealed class FederatedIdentityCredentialStore
{
    public const int MaxPerApplication = 20;

    private readonly Lock _gate = new();
    private readonly SandboxSeed _seed;
    private readonly Dictionary<Guid, List<FederatedIdentityCredential>> _byApplication = new();

    public FederatedIdentityCredentialStore(SandboxSeed seed)
    {
        _seed = seed;
        ResetToSeed();
    }

    public enum AddResult
    {
        Added,
        DuplicateName,
        DuplicateIssuerAndSubject,
        LimitReached,
    }

    public IReadOnlyList<FederatedIdentityCredential> List(Guid applicationId)
    {
        lock (_gate)
        {
            return _byApplication.TryGetValue(applicationId, out var list) ? list.ToArray() : Array.Empty<FederatedIdentityCredential>();
        }
    }

    /// <summary>A credential by its id or its name (Graph accepts either in the URL).</summary>
    public FederatedIdentityCredential? Find(Guid applicationId, string idOrName) => List(applicationId).FirstOrDefault(c =>
        (Guid.TryParse(idOrName, out var id) && c.Id == id) || string.Equals(c.Name, idOrName, StringComparison.OrdinalIgnoreCase));

    public AddResult TryAdd(Guid applicationId, FederatedIdentityCredential credential)
    {
        lock (_gate)
        {
            if (!_byApplication.TryGetValue(applicationId, out var list))
            {
                _byApplication[applicationId] = list = new List<FederatedIdentityCredential>();
            }

            if (list.Any(c => string.Equals(c.Name, credential.Name, StringComparison.OrdinalIgnoreCase)))
            {
                return AddResult.DuplicateName;
            }

            if (list.Any(c => c.Issuer == credential.Issuer && c.Subject == credential.Subject))
            {
                return AddResult.DuplicateIssuerAndSubject;
            }

            if (list.Count >= MaxPerApplication)
            {
                return AddResult.LimitReached;
            }

            list.Add(credential);
            return AddResult.Added;
        }
    }

    public bool Remove(Guid applicationId, Guid credentialId)
    {
        lock (_gate)
        {
            return _byApplication.TryGetValue(applicationId, out var list) && list.RemoveAll(c => c.Id == credentialId) > 0;
        }
    }

    /// <summary>Drops an app's credentials, as deleting the app does.</summary>
    public void RemoveApplication(Guid applicationId)
    {
        lock (_gate)
        {
            _byApplication.Remove(applicationId);
        }
    }

    /// <summary>Puts every app's credentials back as the seed has them.</summary>
    public void ResetToSeed()
    {
        lock (_gate)
        {
            _byApplication.Clear();
            foreach (var app in _seed.Apps)
            {
                _byApplication[app.ApplicationObjectId] = app.FederatedIdentityCredentials
                    .Select(c => c.Id == Guid.Empty ? c with { Id = DeterministicGuid.From($"fic:{app.ApplicationObjectId}:{c.Name}") } : c)
                    .ToList();
            }
        }
    }
}

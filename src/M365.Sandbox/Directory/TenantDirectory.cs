using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Directory;

/// <summary>
/// The live tenant: the seed plus what changes at run time (withdrawn consents, revoked sign-in sessions) and the
/// app certificates that may sign client assertions. Thread-safe; one per sandbox.
/// </summary>
public sealed class TenantDirectory
{
    private readonly ConcurrentDictionary<Guid, X509Certificate2[]> _certificates = new();
    private readonly ConcurrentDictionary<(Guid AppId, string Service), bool> _withdrawn = new();
    private readonly ConcurrentDictionary<(Guid AppId, string Service), string[]> _granted = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _tokensValidFrom = new();
    private readonly TimeProvider _time;

    public TenantDirectory(SandboxSeed seed, SandboxHostNames hosts, string stateDirectory, TimeProvider time, ApplicationStore? applications = null, PermissionGrantStore? grants = null)
    {
        Seed = seed;
        Hosts = hosts;
        _time = time;
        Applications = applications ?? new ApplicationStore(seed, time);
        Grants = grants ?? new PermissionGrantStore();
        foreach (var app in seed.Apps)
        {
            if (app.GenerateCertificate && app.CertificatePath is null)
            {
                app.CertificatePath = Path.Combine(stateDirectory, $"app-{app.AppId}.pfx");
                SandboxCertificates.LoadOrCreateClientCertificate(app.CertificatePath, app.DisplayName, time).Dispose();
            }

            if (app.CertificatePath is not null)
            {
                _certificates[app.AppId] = new[] { LoadPublicCertificate(app.CertificatePath) };
            }
        }
    }

    public SandboxSeed Seed { get; }

    public SandboxHostNames Hosts { get; }

    public Guid TenantId => Seed.TenantId;

    /// <summary>The application objects, seeded and created through Graph.</summary>
    public ApplicationStore Applications { get; }

    /// <summary>The consents given through Graph (oauth2PermissionGrants, appRoleAssignments).</summary>
    public PermissionGrantStore Grants { get; }

    /// <summary>
    /// The app a sign-in names: a registered one (deleted means gone; created through Graph means available once
    /// replicated) or a Microsoft first-party one; null answers AADSTS700016.
    /// </summary>
    public SeededApp? FindApp(Guid appId)
    {
        var registration = Applications.FindByAppId(appId);
        if (registration is null)
        {
            return Seed.Apps.FirstOrDefault(a => a.AppId == appId && a.IsFirstParty);
        }

        return registration.Seeded is null && _time.GetUtcNow() < registration.AvailableFrom ? null : registration.ToSignInApp();
    }

    public SeededUser? FindUser(string upn) =>
        Seed.Users.FirstOrDefault(u => string.Equals(u.UserPrincipalName, upn, StringComparison.OrdinalIgnoreCase));

    public SeededUser? FindUser(Guid id) => Seed.Users.FirstOrDefault(u => u.Id == id);

    public SeededManagedIdentity? FindManagedIdentity(Guid? clientId) => clientId is null
        ? Seed.ManagedIdentities.FirstOrDefault(m => !m.UserAssigned)
        : Seed.ManagedIdentities.FirstOrDefault(m => m.ClientId == clientId);

    public IReadOnlyList<X509Certificate2> CertificatesOf(Guid appId) =>
        _certificates.TryGetValue(appId, out var certs) ? certs : Applications.FindByAppId(appId)?.VerifyCertificates.ToArray() ?? Array.Empty<X509Certificate2>();

    /// <summary>The delegated permissions consented for the app on a resource, or null when there is no consent.</summary>
    public IReadOnlyList<string>? ConsentedScopes(SeededApp app, ResourceService service)
    {
        if (IsWithdrawn(app.AppId, service))
        {
            return null;
        }

        var seeded = app.DelegatedPermissions.TryGetValue(service.Key, out var scopes) ? scopes : Array.Empty<string>();
        var granted = _granted.TryGetValue((app.AppId, service.Key), out var extra) ? extra : Array.Empty<string>();
        var viaGraph = app.ServicePrincipalId == Guid.Empty ? Array.Empty<string>() : Grants.DelegatedScopes(app.ServicePrincipalId, service.ResourceAppId);
        var all = granted.Length == 0 && viaGraph.Count == 0 ? seeded : seeded.Union(granted, StringComparer.OrdinalIgnoreCase).Union(viaGraph, StringComparer.OrdinalIgnoreCase).ToArray();
        return all.Length == 0 ? null : all;
    }

    /// <summary>
    /// An admin's consent on the browser sign-in's consent page: the app's configured permissions on the resource come
    /// back (if withdrawn) and the named ones are added.
    /// </summary>
    public void GrantConsent(Guid appId, ResourceService service, IEnumerable<string> permissions)
    {
        _withdrawn.TryRemove((appId, service.Key), out _);
        var added = permissions.Where(p => p != ".default").ToArray();
        if (added.Length > 0)
        {
            _granted.AddOrUpdate((appId, service.Key), added, (_, old) => old.Union(added, StringComparer.OrdinalIgnoreCase).ToArray());
        }
    }

    /// <summary>The app roles granted to the app on a resource (empty when none or withdrawn).</summary>
    public IReadOnlyList<string> GrantedRoles(SeededApp app, ResourceService service)
    {
        if (IsWithdrawn(app.AppId, service))
        {
            return Array.Empty<string>();
        }

        var seeded = app.ApplicationPermissions.TryGetValue(service.Key, out var roles) ? roles : Array.Empty<string>();
        var viaGraph = app.ServicePrincipalId == Guid.Empty ? Array.Empty<string>() : Grants.AppRoles(app.ServicePrincipalId, service.ResourceAppId);
        return viaGraph.Count == 0 ? seeded : seeded.Union(viaGraph, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The consents a seeded app holds outside Graph's store, per resource key: its seeded scopes and roles plus the
    /// scopes granted on the consent page, withdrawn resources left out. Graph lists them with the store's own grants.
    /// </summary>
    public IEnumerable<(string ServiceKey, IReadOnlyList<string> Scopes, IReadOnlyList<string> Roles)> SeededConsents(SeededApp app)
    {
        var keys = app.DelegatedPermissions.Keys.Concat(app.ApplicationPermissions.Keys)
            .Concat(_granted.Keys.Where(k => k.AppId == app.AppId).Select(k => k.Service)).Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keys.Where(k => !_withdrawn.Keys.Any(w => w.AppId == app.AppId && string.Equals(w.Service, k, StringComparison.OrdinalIgnoreCase))))
        {
            var seeded = app.DelegatedPermissions.TryGetValue(key, out var scopes) ? scopes : Array.Empty<string>();
            var granted = _granted.FirstOrDefault(g => g.Key.AppId == app.AppId && string.Equals(g.Key.Service, key, StringComparison.OrdinalIgnoreCase)).Value ?? Array.Empty<string>();
            var roles = app.ApplicationPermissions.TryGetValue(key, out var r) ? r : Array.Empty<string>();
            yield return (key, seeded.Union(granted, StringComparer.OrdinalIgnoreCase).ToArray(), roles);
        }
    }

    /// <summary>Withdraws the admin consent of an app for one resource service, or for all when service is null.</summary>
    public void WithdrawConsent(Guid appId, string? serviceKey = null)
    {
        foreach (var service in ResourceService.All.Where(s => serviceKey is null || s.Key.Equals(serviceKey, StringComparison.OrdinalIgnoreCase)))
        {
            _withdrawn[(appId, service.Key)] = true;
            _granted.TryRemove((appId, service.Key), out _);
        }
    }

    public void RestoreConsent(Guid appId)
    {
        foreach (var key in _withdrawn.Keys.Where(k => k.AppId == appId))
        {
            _withdrawn.TryRemove(key, out _);
        }
    }

    /// <summary>Invalidates every refresh token issued to the user until now, as a password reset does.</summary>
    public DateTimeOffset RevokeSignInSessions(Guid userId)
    {
        var now = _time.GetUtcNow();
        _tokensValidFrom[userId] = now;
        return now;
    }

    public DateTimeOffset? TokensValidFrom(Guid userId) => _tokensValidFrom.TryGetValue(userId, out var t) ? t : null;

    private bool IsWithdrawn(Guid appId, ResourceService service) => _withdrawn.ContainsKey((appId, service.Key));

    private static X509Certificate2 LoadPublicCertificate(string path)
    {
        try
        {
            var cert = path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase)
                ? X509CertificateLoader.LoadPkcs12FromFile(path, null)
                : X509CertificateLoader.LoadCertificateFromFile(path);
            using (cert)
            {
                // Keep only the public part: the sandbox verifies assertions, it never signs them.
                return X509CertificateLoader.LoadCertificate(cert.RawData);
            }
        }
        catch (CryptographicException ex)
        {
            throw new InvalidDataException($"The app certificate '{path}' cannot be read: {ex.Message}", ex);
        }
    }
}

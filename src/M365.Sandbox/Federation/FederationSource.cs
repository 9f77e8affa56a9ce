using System.Text.Json.Nodes;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Federation;

/// <summary>
/// One OIDC token service (GitHub Actions, Azure DevOps or the Kubernetes token file): its signing key, the settings
/// the control API changes and the count of tokens minted. Thread-safe.
/// </summary>
public sealed class FederationSource
{
    private readonly Lock _gate = new();
    private readonly Func<JsonObject> _extraClaims;
    private FederationSourceSettings _settings;
    private int _issued;

    internal FederationSource(string name, string route, string defaultIssuer, string defaultSubject, TimeSpan defaultLifetime,
        SandboxSigningKey key, Func<JsonObject> extraClaims)
    {
        Name = name;
        Route = route;
        DefaultIssuer = defaultIssuer;
        DefaultSubject = defaultSubject;
        DefaultLifetime = defaultLifetime;
        Key = key;
        _extraClaims = extraClaims;
        _settings = new FederationSourceSettings(defaultLifetime);
    }

    /// <summary>github, azureDevOps or kubernetes: the name in the control API.</summary>
    public string Name { get; }

    /// <summary>The path segment under /oidc/.</summary>
    public string Route { get; }

    public string DefaultIssuer { get; }

    public string DefaultSubject { get; }

    public TimeSpan DefaultLifetime { get; }

    internal SandboxSigningKey Key { get; }

    public FederationSourceSettings Settings { get { lock (_gate) { return _settings; } } }

    public string Issuer => Settings.Issuer ?? DefaultIssuer;

    public string Subject => Settings.Subject ?? DefaultSubject;

    public int Issued { get { lock (_gate) { return _issued; } } }

    public void Configure(FederationSourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (_gate)
        {
            _settings = settings;
        }
    }

    internal void Reset()
    {
        lock (_gate)
        {
            _settings = new FederationSourceSettings(DefaultLifetime);
            _issued = 0;
        }
    }

    /// <summary>Mints a token with the current settings; <paramref name="requestedAudience"/> applies unless an audience is set.</summary>
    public string Mint(string? requestedAudience, DateTimeOffset now)
    {
        FederationSourceSettings settings;
        lock (_gate)
        {
            settings = _settings;
            _issued++;
        }

        var issued = now + (settings.NotBeforeOffset ?? TimeSpan.Zero);
        var audience = settings.Audience ?? requestedAudience ?? FederationIssuers.ExchangeAudience;
        var payload = _extraClaims();
        payload["jti"] = Guid.NewGuid().ToString();
        payload["sub"] = settings.Subject ?? DefaultSubject;
        // Kubernetes writes aud as an array, the pipelines as a string; Entra ID accepts both.
        payload["aud"] = Name == FederationSources.Kubernetes ? new JsonArray(audience) : audience;
        payload["iss"] = settings.Issuer ?? DefaultIssuer;
        payload["iat"] = issued.ToUnixTimeSeconds();
        payload["nbf"] = issued.ToUnixTimeSeconds();
        payload["exp"] = (issued + settings.Lifetime).ToUnixTimeSeconds();
        return Key.Sign(payload);
    }

    public override string ToString() => $"{Name} token service ({Issuer})";
}

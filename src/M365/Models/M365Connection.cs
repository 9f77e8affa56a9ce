using System;
using System.Linq;
using M365.Core.Authentication;
using M365.Core.Connections;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Models;

/// <summary>
/// A connection as PowerShell users see it: who, where, how, its request settings, and each resource's token expiry. The
/// token store and the request pipeline stay inside (Format-List * and ConvertTo-Json show none of them), and no
/// property ever holds a token. Thread-safe: pass it anywhere (-Connection $using:c).
/// </summary>
public sealed class M365Connection
{
    private readonly Connection? _core;

    internal M365Connection(Connection core) => _core = core ?? throw new ArgumentNullException(nameof(core));

    // What -Connection was given, when it was not a connection object (see ConnectionTransformationAttribute).
    private M365Connection(Connection? core, string boundText, ConnectionBindingProblem problem)
    {
        _core = core;
        BoundText = boundText;
        Problem = problem;
    }

    /// <summary>
    /// The name <paramref name="text"/> as bound to -Connection: the session's connection of that name (or a placeholder
    /// when there is none), marked as made from text, so the cmdlet can tell a name typed after -Connection from one
    /// that came with the input data (a CSV "Connection" column), which must never choose the identity.
    /// </summary>
    internal static M365Connection FromText(string text)
    {
        var found = SessionConnections.ForCurrentRunspace().Find(text.Trim());
        return new M365Connection(found?._core, text, found is null ? ConnectionBindingProblem.NameNotFound : ConnectionBindingProblem.None);
    }

    /// <summary>A placeholder for a connection that crossed a process boundary (Start-Job, Invoke-Command): its tokens stayed behind.</summary>
    internal static M365Connection Deserialized(string name) => new(null, name, ConnectionBindingProblem.Deserialized);

    /// <summary>The text this value was bound from (a name), or the name of a deserialized connection; null for a connection object.</summary>
    internal string? BoundText { get; }

    /// <summary>Why this bound value is not a usable connection (None when it is one).</summary>
    internal ConnectionBindingProblem Problem { get; }

    /// <summary>The connection's name (-Connection name, -Name).</summary>
    public string Name => Core.Name;

    /// <summary>The user's UPN, or the application's name.</summary>
    public string Identity => Core.Identity;

    /// <summary>How it signed in: DeviceCode, Credential, Certificate, ClientSecret, ManagedIdentity or AccessToken.</summary>
    public string AuthType => Core.AuthType.ToString();

    /// <summary>The tenant's domain when known, else its id.</summary>
    public string? Tenant => Core.TenantDomain ?? Core.TenantId;

    public string? TenantId => Core.TenantId;

    public string? TenantDomain => Core.TenantDomain;

    /// <summary>The application (client) id, or null for a managed identity or a ready access token.</summary>
    public string? AppId => Core.AppId;

    /// <summary>Where the app id came from: Parameter, AadAppIdVariable, EntraAppIdVariable, Default or Token.</summary>
    public string AppIdSource => Core.AppIdSource.ToString();

    /// <summary>The cloud: Public, USGov, USGovDoD or China.</summary>
    public string Cloud => Core.Cloud.Name;

    /// <summary>The tenant's SharePoint name (contoso for https://contoso.sharepoint.com), once known.</summary>
    public string? SharePointTenant => Core.Resources.SharePointTenant;

    /// <summary>When it signed in (local time).</summary>
    public DateTimeOffset ConnectedOn => Core.ConnectedOn.ToLocalTime();

    /// <summary>True for an app-only connection (no user).</summary>
    public bool IsAppOnly => Core.IsAppOnly;

    /// <summary>True once Disconnect-M365 closed it: it then refuses every request (ConnectionClosed).</summary>
    public bool IsClosed => Core.IsClosed;

    /// <summary>Where MSAL's token cache lives: InMemory, Encrypted (-PersistLogin) or Unencrypted.</summary>
    public string TokenCache => Core.TokenCacheProtection.ToString();

    /// <summary>The retry budget and timeouts its requests use (Set-M365RequestSetting), and where they come from.</summary>
    public M365RequestSetting RequestSettings => M365RequestSetting.ForConnection(Core);

    /// <summary>Each resource with a cached token: its expiry (local time) and permissions. Never the token.</summary>
    public M365ConnectionResource[] Resources =>
        Core.Tokens.Snapshot().Select(info => new M365ConnectionResource(info)).ToArray();

    /// <summary>The soonest expiry among the cached tokens (local time), or null when none is cached.</summary>
    public DateTimeOffset? ExpiresOn
    {
        get
        {
            var resources = Resources;
            return resources.Length == 0 ? null : resources.Min(r => r.ExpiresOn);
        }
    }

    /// <summary>
    /// The connection of this session named <paramref name="name"/>. PowerShell calls it to convert a name: so
    /// "-Connection work", "Disconnect-M365 work" and [M365.PowerShell.Models.M365Connection]'work' all work.
    /// </summary>
    /// <exception cref="ArgumentException">This session has no connection of that name.</exception>
    public static M365Connection Parse(string name)
    {
        var session = SessionConnections.ForCurrentRunspace();
        return session.Find(name) ?? throw new ArgumentException(
            $"This session has no connection named '{name}'. " +
            (session.All.Count == 0
                ? "Run Connect-M365 first."
                : "Its connections: " + string.Join(", ", session.All.Select(c => c.Name)) + "."));
    }

    /// <summary>The connection itself, for M365 cmdlets and M365.Core.</summary>
    internal Connection Core =>
        _core ?? throw new InvalidOperationException($"'{BoundText}' is not a connection of this session ({Problem}).");

    /// <summary>"work: admin@contoso.onmicrosoft.com (DeviceCode, contoso.onmicrosoft.com)"; the name once when it is the identity.</summary>
    public override string ToString()
    {
        var detail = $"({AuthType}, {Tenant ?? "tenant unknown"}{(IsClosed ? ", closed" : string.Empty)})";
        return string.Equals(Name, Identity, StringComparison.OrdinalIgnoreCase) ? $"{Name} {detail}" : $"{Name}: {Identity} {detail}";
    }
}

/// <summary>Why a value bound to -Connection cannot be used as a connection.</summary>
internal enum ConnectionBindingProblem
{
    None,
    NameNotFound,
    Deserialized,
}

/// <summary>One resource of a connection: its expiry and permissions (scopes, or roles for app-only).</summary>
public sealed class M365ConnectionResource
{
    internal M365ConnectionResource(CachedTokenInfo info)
    {
        Resource = info.Resource.ResourceId;
        ExpiresOn = info.ExpiresOn.ToLocalTime();
        Scopes = info.Scopes.Count > 0 ? info.Scopes.ToArray() : info.Roles.ToArray();
    }

    public string Resource { get; }

    /// <summary>Local time.</summary>
    public DateTimeOffset ExpiresOn { get; }

    /// <summary>Delegated scopes, or application roles for app-only.</summary>
    public string[] Scopes { get; }

    public override string ToString() => $"{Resource} (expires {TimeText.Format(ExpiresOn)})";
}

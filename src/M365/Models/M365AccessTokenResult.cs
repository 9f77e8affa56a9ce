using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Security;
using M365.Core.Authentication;

namespace M365.PowerShell.Models;

/// <summary>What Get-M365AccessToken says about a token, without the token itself.</summary>
public abstract class M365AccessTokenInfo
{
    private protected M365AccessTokenInfo(AccessToken token, string connectionName, bool decoded)
    {
        ExpiresOn = token.ExpiresOn.ToLocalTime();
        Resource = token.Resource.ResourceId;
        Audience = token.GetString("aud") ?? token.Resource.ResourceId;
        Scopes = token.Scopes.ToArray();
        Roles = token.Roles.ToArray();
        IdentityType = token.IdentityType;
        TenantId = token.TenantId;
        Connection = connectionName;
        Claims = decoded ? ToOrdered(token.Claims) : null;
    }

    /// <summary>When the token expires (local time).</summary>
    public DateTimeOffset ExpiresOn { get; }

    /// <summary>The <c>aud</c> claim: the resource the token is for.</summary>
    public string Audience { get; }

    /// <summary>The resource the token was asked for.</summary>
    public string Resource { get; }

    /// <summary>Delegated permissions (<c>scp</c>).</summary>
    public string[] Scopes { get; }

    /// <summary>Application permissions (<c>roles</c>).</summary>
    public string[] Roles { get; }

    /// <summary><c>user</c> or <c>app</c> (the <c>idtyp</c> claim).</summary>
    public string? IdentityType { get; }

    public string? TenantId { get; }

    /// <summary>The name of the connection that issued it.</summary>
    public string Connection { get; }

    /// <summary>Every claim of the token (with -Decoded), in the token's order.</summary>
    public OrderedDictionary? Claims { get; }

    public override string ToString() => $"Access token for {Audience}, expires {TimeText.Format(ExpiresOn)}";

    /// <summary>The claims as lines for the list view; iat, nbf and exp get their local time beside the number.</summary>
    public string ClaimsText() =>
        Claims is null
            ? string.Empty
            : string.Join(Environment.NewLine, Claims.Keys.Cast<string>().Select(key => $"{key} = {ClaimText(key, Claims[key])}"));

    private static string ClaimText(string key, object? value)
    {
        var text = value is object?[] items ? string.Join(" ", items) : value?.ToString() ?? string.Empty;
        return (key is "iat" or "nbf" or "exp") && long.TryParse(text, out var seconds)
            ? $"{text} ({TimeText.Format(DateTimeOffset.FromUnixTimeSeconds(seconds))})"
            : text;
    }

    private static OrderedDictionary ToOrdered(IReadOnlyDictionary<string, object?> claims)
    {
        var ordered = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var pair in claims)
        {
            ordered[pair.Key] = Convert(pair.Value);
        }

        return ordered;
    }

    private static object? Convert(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> nested => ToOrdered(nested),
        IEnumerable<object?> items when value is not string => items.Select(Convert).ToArray(),
        _ => value,
    };
}

/// <summary>
/// An access token the user explicitly asked for with Get-M365AccessToken: the one object that carries a token.
/// Its <see cref="object.ToString"/> still never shows the token, and neither does its default view.
/// </summary>
public sealed class M365AccessTokenResult : M365AccessTokenInfo
{
    internal M365AccessTokenResult(AccessToken token, string connectionName, bool decoded)
        : base(token, connectionName, decoded) => Token = token.Token;

    /// <summary>The bearer token.</summary>
    public string Token { get; }
}

/// <summary>The same, with the token as a SecureString (Get-M365AccessToken -AsSecureString).</summary>
public sealed class M365SecureAccessTokenResult : M365AccessTokenInfo
{
    internal M365SecureAccessTokenResult(AccessToken token, string connectionName, bool decoded)
        : base(token, connectionName, decoded)
    {
        var secure = new SecureString();
        foreach (var c in token.Token)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        Token = secure;
    }

    /// <summary>The bearer token.</summary>
    public SecureString Token { get; }
}

using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using M365.Core.Authentication;

namespace M365.PowerShell.Models;

/// <summary>
/// An access token the user explicitly asked for with Get-M365AccessToken: the one object that carries a token.
/// Its <see cref="ToString"/> still never shows the token.
/// </summary>
public sealed class M365AccessTokenResult
{
    internal M365AccessTokenResult(AccessToken token, string connectionName, bool decoded)
    {
        Token = token.Token;
        ExpiresOn = token.ExpiresOn;
        Resource = token.Resource.ResourceId;
        Audience = token.GetString("aud") ?? token.Resource.ResourceId;
        Scopes = token.Scopes.ToArray();
        Roles = token.Roles.ToArray();
        IdentityType = token.IdentityType;
        TenantId = token.TenantId;
        Connection = connectionName;
        Claims = decoded ? ToOrdered(token.Claims) : null;
    }

    /// <summary>The bearer token.</summary>
    public string Token { get; }

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

    public override string ToString() => $"Access token for {Audience}, expires {ExpiresOn:u}";

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

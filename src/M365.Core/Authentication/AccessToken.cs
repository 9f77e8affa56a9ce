using System;
using System.Collections.Generic;
using M365.Core.Resources;

namespace M365.Core.Authentication
{
    /// <summary>
    /// An access token for one resource, with the claims read from its payload (not validated).
    /// <see cref="ToString"/> never shows the token itself.
    /// </summary>
    public sealed class AccessToken
    {
        private static readonly string[] s_none = Array.Empty<string>();

        /// <summary>Creates a token and reads its claims; a token that is not a JWT simply has no claims.</summary>
        /// <param name="token">The bearer token.</param>
        /// <param name="expiresOn">When it expires, as reported by the issuer.</param>
        /// <param name="resource">The resource it was issued for.</param>
        public AccessToken(string token, DateTimeOffset expiresOn, M365Resource resource)
        {
            Token = token ?? throw new ArgumentNullException(nameof(token));
            ExpiresOn = expiresOn;
            Resource = resource ?? throw new ArgumentNullException(nameof(resource));
            Claims = JwtPayloadReader.ReadClaims(token);
            Scopes = SplitScopes(GetString("scp"));
            Roles = ReadRoles(Claims.TryGetValue("roles", out object? roles) ? roles : null);
            TenantId = GetString("tid");
            IdentityType = GetString("idtyp")
                ?? (Scopes.Count > 0 ? "user" : Roles.Count > 0 || GetString("appid") != null ? "app" : null);
        }

        /// <summary>The bearer token. Send it only to <see cref="Resource"/>'s origin.</summary>
        public string Token { get; }

        /// <summary>When the token expires.</summary>
        public DateTimeOffset ExpiresOn { get; }

        /// <summary>The resource the token was issued for.</summary>
        public M365Resource Resource { get; }

        /// <summary>The delegated permissions (the <c>scp</c> claim), empty for app-only tokens.</summary>
        public IReadOnlyList<string> Scopes { get; }

        /// <summary>The application permissions (the <c>roles</c> claim), empty for most delegated tokens.</summary>
        public IReadOnlyList<string> Roles { get; }

        /// <summary>
        /// <c>user</c> or <c>app</c> from the <c>idtyp</c> claim; when absent, inferred from <c>scp</c> / <c>roles</c>; null for opaque tokens.
        /// </summary>
        public string? IdentityType { get; }

        /// <summary>The tenant id (the <c>tid</c> claim), or null.</summary>
        public string? TenantId { get; }

        /// <summary>The payload claims; empty when the token is not a readable JWT. Never validated.</summary>
        public IReadOnlyDictionary<string, object?> Claims { get; }

        /// <summary>Reads a string claim, or null when it is missing or not a string.</summary>
        /// <param name="name">The claim name, e.g. <c>upn</c>.</param>
        public string? GetString(string name) => Claims.TryGetValue(name, out object? value) ? value as string : null;

        /// <summary>Describes the token without revealing it.</summary>
        public override string ToString() => $"AccessToken for {Resource.ResourceId}, expires {ExpiresOn:u}";

        private static IReadOnlyList<string> SplitScopes(string? value) =>
            string.IsNullOrWhiteSpace(value) ? s_none : value!.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);

        private static IReadOnlyList<string> ReadRoles(object? value)
        {
            if (value is IReadOnlyList<object?> items)
            {
                var roles = new List<string>(items.Count);
                foreach (object? item in items)
                {
                    if (item is string role)
                    {
                        roles.Add(role);
                    }
                }

                return roles;
            }

            return value is string single ? new[] { single } : s_none;
        }
    }
}

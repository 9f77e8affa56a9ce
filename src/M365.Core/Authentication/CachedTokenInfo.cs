using System;
using System.Collections.Generic;
using M365.Core.Resources;

namespace M365.Core.Authentication
{
    /// <summary>What the token store holds for one resource, without the token, for display.</summary>
    public sealed class CachedTokenInfo
    {
        internal CachedTokenInfo(AccessToken token)
        {
            Resource = token.Resource;
            ExpiresOn = token.ExpiresOn;
            Scopes = token.Scopes;
            Roles = token.Roles;
            IdentityType = token.IdentityType;
        }

        /// <summary>The resource.</summary>
        public M365Resource Resource { get; }

        /// <summary>When the cached token expires.</summary>
        public DateTimeOffset ExpiresOn { get; }

        /// <summary>Delegated permissions of the token.</summary>
        public IReadOnlyList<string> Scopes { get; }

        /// <summary>Application permissions of the token.</summary>
        public IReadOnlyList<string> Roles { get; }

        /// <summary><c>user</c>, <c>app</c> or null.</summary>
        public string? IdentityType { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Resource.ResourceId} (expires {ExpiresOn:u})";
    }
}

using System;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace M365.Core.Services.Graph
{
    /// <summary>A delegated permission (OAuth2 scope) a service principal exposes.</summary>
    public sealed class PermissionScope
    {
        /// <summary>The scope id.</summary>
        public Guid Id { get; private set; }

        /// <summary>The value in a token's <c>scp</c> claim, e.g. <c>AllSites.FullControl</c>.</summary>
        public string? Value { get; private set; }

        /// <summary>Admin or User: who may consent.</summary>
        public string? Type { get; private set; }

        /// <summary>Whether it can be granted.</summary>
        public bool? IsEnabled { get; private set; }

        /// <summary>The name an admin sees when consenting.</summary>
        public string? AdminConsentDisplayName { get; private set; }

        /// <summary>The description an admin sees when consenting.</summary>
        public string? AdminConsentDescription { get; private set; }

        /// <summary>The name a user sees when consenting.</summary>
        public string? UserConsentDisplayName { get; private set; }

        /// <summary>The description a user sees when consenting.</summary>
        public string? UserConsentDescription { get; private set; }

        /// <inheritdoc />
        public override string ToString() => Value ?? Id.ToString();

        [MethodImpl(HotPath.Optimized)]
        internal static PermissionScope FromJson(JsonElement json) => new PermissionScope
        {
            Id = JsonValues.Guid(json, "id") ?? Guid.Empty,
            Value = JsonValues.String(json, "value"),
            Type = JsonValues.String(json, "type"),
            IsEnabled = JsonValues.Bool(json, "isEnabled"),
            AdminConsentDisplayName = JsonValues.String(json, "adminConsentDisplayName"),
            AdminConsentDescription = JsonValues.String(json, "adminConsentDescription"),
            UserConsentDisplayName = JsonValues.String(json, "userConsentDisplayName"),
            UserConsentDescription = JsonValues.String(json, "userConsentDescription"),
        };
    }
}

using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace M365.Core.Services.Graph
{
    /// <summary>An application permission (app role) a service principal exposes.</summary>
    public sealed class AppRole
    {
        /// <summary>The role id, as granted in app role assignments.</summary>
        public Guid Id { get; private set; }

        /// <summary>The value in a token's <c>roles</c> claim, e.g. <c>Sites.FullControl.All</c>.</summary>
        public string? Value { get; private set; }

        /// <summary>The display name.</summary>
        public string? DisplayName { get; private set; }

        /// <summary>What it allows.</summary>
        public string? Description { get; private set; }

        /// <summary>Application and/or User.</summary>
        public IReadOnlyList<string> AllowedMemberTypes { get; private set; } = Array.Empty<string>();

        /// <summary>Whether it can be granted.</summary>
        public bool? IsEnabled { get; private set; }

        /// <summary>Where it was defined (Application, ServicePrincipal).</summary>
        public string? Origin { get; private set; }

        /// <inheritdoc />
        public override string ToString() => Value ?? Id.ToString();

        [MethodImpl(HotPath.Optimized)]
        internal static AppRole FromJson(JsonElement json) => new AppRole
        {
            Id = JsonValues.Guid(json, "id") ?? Guid.Empty,
            Value = JsonValues.String(json, "value"),
            DisplayName = JsonValues.String(json, "displayName"),
            Description = JsonValues.String(json, "description"),
            AllowedMemberTypes = JsonValues.Strings(json, "allowedMemberTypes"),
            IsEnabled = JsonValues.Bool(json, "isEnabled"),
            Origin = JsonValues.String(json, "origin"),
        };
    }
}

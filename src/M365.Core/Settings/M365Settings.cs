using System;

namespace M365.Core.Settings
{
    /// <summary>
    /// The user's saved defaults for Connect-M365: an app id, a tenant and a cloud. Never a secret. Immutable; every value
    /// may be null (not set).
    /// </summary>
    public sealed class M365Settings
    {
        /// <summary>The names of the settings, as Set-M365Setting and Clear-M365Setting take them.</summary>
        public static readonly string[] Names = { AppIdName, TenantName, EnvironmentName };

        /// <summary>The app (client) id setting.</summary>
        public const string AppIdName = "AppId";

        /// <summary>The tenant setting.</summary>
        public const string TenantName = "Tenant";

        /// <summary>The cloud setting.</summary>
        public const string EnvironmentName = "Environment";

        /// <summary>No setting saved.</summary>
        public static readonly M365Settings Empty = new M365Settings(null, null, null);

        /// <summary>Creates the settings.</summary>
        public M365Settings(string? appId, string? tenant, string? environment)
        {
            AppId = appId;
            Tenant = tenant;
            Environment = environment;
        }

        /// <summary>The default app id, or null.</summary>
        public string? AppId { get; }

        /// <summary>The default tenant (a domain or an id), or null.</summary>
        public string? Tenant { get; }

        /// <summary>The default cloud's name (Public, USGov, USGovDoD, China), or null.</summary>
        public string? Environment { get; }

        /// <summary>True when nothing is saved.</summary>
        public bool IsEmpty => AppId is null && Tenant is null && Environment is null;

        /// <summary>These settings with the given values replaced (a null argument keeps the current value).</summary>
        public M365Settings With(string? appId = null, string? tenant = null, string? environment = null) =>
            new M365Settings(appId ?? AppId, tenant ?? Tenant, environment ?? Environment);

        /// <summary>These settings without the named one.</summary>
        /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
        public M365Settings Without(string name)
        {
            if (string.Equals(name, AppIdName, StringComparison.OrdinalIgnoreCase))
            {
                return new M365Settings(null, Tenant, Environment);
            }

            if (string.Equals(name, TenantName, StringComparison.OrdinalIgnoreCase))
            {
                return new M365Settings(AppId, null, Environment);
            }

            if (string.Equals(name, EnvironmentName, StringComparison.OrdinalIgnoreCase))
            {
                return new M365Settings(AppId, Tenant, null);
            }

            throw new ArgumentException($"'{name}' is not a setting; use one of {string.Join(", ", Names)}.", nameof(name));
        }

        /// <inheritdoc />
        public override string ToString() => $"AppId={AppId ?? "(not set)"}, Tenant={Tenant ?? "(not set)"}, Environment={Environment ?? "(not set)"}";
    }
}

using System;

namespace M365.Core.Resources
{
    /// <summary>
    /// One Entra ID resource (token audience) such as Microsoft Graph or one SharePoint host.
    /// Two resources are equal when they have the same origin; the token store keys on it.
    /// Get instances from <see cref="ResourceResolver"/>.
    /// </summary>
    public sealed class M365Resource : IEquatable<M365Resource>
    {
        private static readonly Uri s_noOrigin = new Uri("about:blank");

        internal M365Resource(ResourceKind kind, Uri origin, string resourceId, string scope, bool delegatedOnly, string? alternateHost = null, string? keySuffix = null)
        {
            Kind = kind;
            Origin = origin;
            ResourceId = resourceId;
            Scope = scope;
            DelegatedOnly = delegatedOnly;
            AlternateHost = alternateHost;
            // A token for another audience sent to this origin (a -Resource override) gets its own slot, never the origin's own token.
            OriginKey = AsciiCase.ToLower(origin.GetLeftPart(UriPartial.Authority));
            Key = OriginKey + (keySuffix is null ? string.Empty : "|" + keySuffix);
        }

        /// <summary>The origin requests go to, <c>https://host</c> with no path; <c>about:blank</c> for an audience with no host (see <see cref="HasOrigin"/>).</summary>
        public Uri Origin { get; }

        /// <summary>
        /// False for an audience named without a host (an App ID URI such as <c>api://contoso-api</c>, or an app id): its
        /// token is only handed to the caller (<c>Get-M365AccessToken</c>) and covers no URL.
        /// </summary>
        public bool HasOrigin => !ReferenceEquals(Origin, s_noOrigin);

        /// <summary>The service.</summary>
        public ResourceKind Kind { get; }

        /// <summary>
        /// The resource id Entra ID knows (the token's <c>aud</c>): usually the origin without a trailing slash;
        /// Azure management keeps its slash (<c>https://management.azure.com/</c>).
        /// </summary>
        public string ResourceId { get; }

        /// <summary>The scope to ask for, <c>{ResourceId}/.default</c> (Yammer: <c>https://api.yammer.com/user_impersonation</c>).</summary>
        public string Scope { get; }

        /// <summary>True when the service accepts only delegated (user) tokens, so app-only sign-in cannot serve it.</summary>
        public bool DelegatedOnly { get; }

        /// <summary>A second host served by the same token (Yammer's <c>api.yammer.com</c>), or null.</summary>
        internal string? AlternateHost { get; }

        /// <summary>The lower-case origin string.</summary>
        internal string OriginKey { get; }

        /// <summary>The string the token store keys on: the origin, plus the audience of a -Resource override.</summary>
        internal string Key { get; }

        /// <summary>A resource for an audience with no host of its own; it covers no URL, so its token is never sent.</summary>
        internal static M365Resource WithoutOrigin(string resourceId, string scope) =>
            new M365Resource(ResourceKind.Other, s_noOrigin, resourceId, scope, delegatedOnly: false, keySuffix: AsciiCase.ToLower(resourceId));

        /// <summary>
        /// True when a request to <paramref name="url"/> may carry this resource's token: same scheme, host and port
        /// (or Yammer's API host). Use it before following a nextLink or redirect.
        /// </summary>
        /// <param name="url">An absolute URL.</param>
        public bool Covers(Uri url)
        {
            if (url is null || !url.IsAbsoluteUri || url.Scheme != Uri.UriSchemeHttps || !HasOrigin)
            {
                return false;
            }

            if (string.Equals(AsciiCase.ToLower(url.GetLeftPart(UriPartial.Authority)), OriginKey, StringComparison.Ordinal))
            {
                return true;
            }

            return AlternateHost != null && url.IsDefaultPort && string.Equals(url.Host, AlternateHost, StringComparison.OrdinalIgnoreCase);
        }

        /// <inheritdoc />
        public bool Equals(M365Resource? other) => other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal);

        /// <inheritdoc />
        public override bool Equals(object? obj) => Equals(obj as M365Resource);

        /// <inheritdoc />
        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

        /// <inheritdoc />
        public override string ToString() => Kind + " (" + ResourceId + ")";
    }
}

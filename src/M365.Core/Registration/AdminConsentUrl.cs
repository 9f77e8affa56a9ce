using System;
using System.Collections.Generic;
using System.Linq;
using M365.Core.Clouds;

namespace M365.Core.Registration
{
    /// <summary>The v2 admin-consent URL an administrator opens to grant an app's permissions for the whole tenant.</summary>
    public static class AdminConsentUrl
    {
        public static string For(CloudEnvironment cloud, string tenant, string appId, IEnumerable<string> resourceAppIds)
        {
            if (cloud is null)
            {
                throw new ArgumentNullException(nameof(cloud));
            }

            string scope = string.Join(" ", resourceAppIds.Distinct(StringComparer.OrdinalIgnoreCase).Select(r => r + "/.default"));
            return $"https://{cloud.AuthorityHost}/{Uri.EscapeDataString(tenant)}/v2.0/adminconsent?client_id={Uri.EscapeDataString(appId)}"
                + $"&scope={Uri.EscapeDataString(scope)}&redirect_uri={Uri.EscapeDataString(AppManifest.RedirectUris[1])}";
        }
    }
}

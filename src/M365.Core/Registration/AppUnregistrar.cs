using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Connections;
using M365.Core.Http;

namespace M365.Core.Registration
{
    /// <summary>Deletes an app Register-M365App made (its service principal and consents go with it); any other app is refused.</summary>
    public sealed class AppUnregistrar
    {
        private readonly AppDirectory _directory;

        public AppUnregistrar(Connection bootstrap, ResourceRequestSender sender, Func<string, Task<bool>> approve)
        {
            if (bootstrap is null)
            {
                throw new ArgumentNullException(nameof(bootstrap));
            }

            _directory = new AppDirectory(sender ?? bootstrap.Requests, bootstrap.Resources.Graph.Origin, approve ?? throw new ArgumentNullException(nameof(approve)));
        }

        /// <summary>True when the app was deleted, false when the deletion was not approved.</summary>
        /// <exception cref="M365Exception"><see cref="RegistrationErrorIds.AppRegistrationNotFound"/>, <see cref="RegistrationErrorIds.AppRegistrationNotOwned"/>.</exception>
        public async Task<bool> UnregisterAsync(string appId, CancellationToken cancellationToken = default)
        {
            if (!Guid.TryParse(appId, out var id))
            {
                throw NotFound(appId);
            }

            var apps = await _directory.FindApplicationsAsync("appId", id.ToString("D"), cancellationToken).ConfigureAwait(false);
            if (apps.Count == 0)
            {
                throw NotFound(appId);
            }

            var app = apps[0];
            string name = app.GetProperty("displayName").GetString() ?? appId;
            if (!AppManifest.IsOurs(app))
            {
                throw new M365Exception(
                    RegistrationErrorIds.AppRegistrationNotOwned,
                    $"The app '{name}' ({appId}) was not made by Register-M365App, so Unregister-M365App does not delete it.",
                    "Delete it in the Entra admin center (App registrations) if you mean to.",
                    appId);
            }

            return await _directory.WriteAsync(HttpMethod.Delete, "applications/" + app.GetProperty("id").GetString(), null, $"delete the app '{name}' ({appId}), its service principal, consents, certificates and federated credentials", cancellationToken).ConfigureAwait(false) is not null;
        }

        private static M365Exception NotFound(string appId) => new M365Exception(
            RegistrationErrorIds.AppRegistrationNotFound,
            $"The tenant has no app registration with the app id '{appId}'.",
            "Check the app id (Register-M365App's AppId) and the tenant you signed in to.",
            appId);
    }
}

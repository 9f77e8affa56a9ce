using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Connections;
using M365.Core.Http;

namespace M365.Core.Registration
{
    /// <summary>
    /// Registers (or brings up to date) the app: the application, its service principal, and tenant-wide consent per
    /// resource, then waits until Entra ID knows it. Each step first reads what exists, so a rerun finishes a registration
    /// that failed halfway and never duplicates anything.
    /// </summary>
    public sealed class AppRegistrar
    {
        private readonly Connection _bootstrap;
        private readonly ResourceRequestSender _sender;
        private readonly ReplicationWait _replication;

        /// <param name="bootstrap">The bootstrap sign-in (it needs Application.ReadWrite.All and DelegatedPermissionGrant.ReadWrite.All).</param>
        /// <param name="sender">Its request sender (e.g. one reporting verbose lines).</param>
        /// <param name="authorityClient">The HTTP client of the connection's transport, for the replication probe.</param>
        /// <param name="time">The clock (tests: a fake one).</param>
        public AppRegistrar(Connection bootstrap, ResourceRequestSender sender, HttpClient authorityClient, TimeProvider? time = null)
        {
            _bootstrap = bootstrap ?? throw new ArgumentNullException(nameof(bootstrap));
            _sender = sender ?? throw new ArgumentNullException(nameof(sender));
            _replication = new ReplicationWait(authorityClient ?? throw new ArgumentNullException(nameof(authorityClient)), time ?? TimeProvider.System);
        }

        /// <exception cref="M365Exception">
        /// <see cref="RegistrationErrorIds.PermissionNotFound"/>, <see cref="RegistrationErrorIds.AppRegistrationNotOwned"/>,
        /// <see cref="RegistrationErrorIds.AppRegistrationIncomplete"/>, <see cref="RegistrationErrorIds.AppReplicationTimedOut"/>, or a Graph failure
        /// before anything was written.
        /// </exception>
        public async Task<AppRegistrationResult> RegisterAsync(AppRegistrationOptions options, CancellationToken cancellationToken = default)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            var graph = _bootstrap.Resources.Graph.Origin;
            var directory = new AppDirectory(_sender, graph, options.Approve);
            bool appOnly = options.AppOnly || options.FederatedCredentials.Count > 0;
            var resources = await new PermissionResolver(_sender, graph).ResolveAsync(options.Permissions, appOnly, cancellationToken).ConfigureAwait(false);
            var result = new AppRegistrationResult { DisplayName = options.DisplayName, TenantId = _bootstrap.TenantId ?? string.Empty, AppOnly = appOnly };
            // The initial domain lets a later Connect-M365 -Tenant know the SharePoint host without asking Graph for it
            // (the default permissions have no Sites.Read.All).
            result.TenantDomain = await directory.InitialDomainAsync(cancellationToken).ConfigureAwait(false);
            var app = await EnsureApplicationAsync(directory, options, resources, result, appOnly, cancellationToken).ConfigureAwait(false);
            if (app is null)
            {
                await ListFollowingCallsAsync(directory, options, resources, appOnly).ConfigureAwait(false);
                return result;
            }

            result.AppId = app.Value.AppId;
            result.ObjectId = app.Value.Id;
            try
            {
                result.ServicePrincipalId = await EnsureServicePrincipalAsync(directory, result, cancellationToken).ConfigureAwait(false);
                if (result.ServicePrincipalId is null)
                {
                    return result;
                }

                if (options.Certificate is { } certificate)
                {
                    await KeyCredentials.EnsureAsync(directory, result, certificate, cancellationToken).ConfigureAwait(false);
                    result.CertificateThumbprint = certificate.Thumbprint;
                }

                await FederatedCredentials.EnsureAsync(directory, result, options.FederatedCredentials, cancellationToken).ConfigureAwait(false);
                if (appOnly)
                {
                    await AppRoleGrants.EnsureAsync(directory, options.Verbose, result, resources, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await new ConsentGrants(directory, options.Verbose).EnsureAsync(result, resources, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (M365Exception ex)
            {
                throw Incomplete(result, resources, ex);
            }

            if (result.PermissionsPendingConsent.Count > 0)
            {
                result.AdminConsentUrl = AdminConsentUrl.For(_bootstrap.Cloud, result.TenantId, result.AppId,
                    resources.Where(r => r.Scopes.Any(s => result.PermissionsPendingConsent.Contains(r.Resource.Name + "/" + s.Name))).Select(r => r.Resource.AppId));
            }

            // The probe (a device-code request abandoned at once) is valid for an app-only app too: Entra ID refuses it with
            // AADSTS700016 only while it does not know the app, and with another code (not a public client) once it does.
            options.Verbose?.Invoke($"Waiting (at most {Durations.Describe(options.ReplicationTimeout)}) until Entra ID knows the app {result.AppId}.");
            await _replication.WaitAsync(_bootstrap.Cloud, result.TenantId, result.AppId, _bootstrap.Resources.Graph.Scope, options.ReplicationTimeout, options.Progress, cancellationToken).ConfigureAwait(false);
            result.SignInReady = true;
            return result;
        }

        // Not created (-WhatIf, or declined): the calls that would follow are listed, never sent.
        private static async Task ListFollowingCallsAsync(AppDirectory directory, AppRegistrationOptions options, IReadOnlyList<ResolvedResource> resources, bool appOnly)
        {
            await directory.Approve("POST /v1.0/servicePrincipals (the new app's service principal)").ConfigureAwait(false);
            if (options.Certificate is { } certificate)
            {
                await directory.Approve($"PATCH /v1.0/applications/{{new app}} (add the certificate {certificate.Subject}, thumbprint {certificate.Thumbprint}, to keyCredentials)").ConfigureAwait(false);
            }

            foreach (var credential in options.FederatedCredentials)
            {
                await directory.Approve($"POST /v1.0/applications/{{new app}}/federatedIdentityCredentials (trust {credential.Source} tokens with issuer {credential.Issuer} and subject {credential.Subject})").ConfigureAwait(false);
            }

            foreach (var resource in resources)
            {
                if (appOnly)
                {
                    foreach (var role in resource.Scopes)
                    {
                        await directory.Approve($"POST /v1.0/servicePrincipals/{resource.ServicePrincipalId}/appRoleAssignedTo (grant the application permission {resource.Resource.Name}/{role.Name})").ConfigureAwait(false);
                    }
                }
                else
                {
                    await directory.Approve($"POST /v1.0/oauth2PermissionGrants (consent for all users to {resource.Resource.Name}: {resource.ScopeText})").ConfigureAwait(false);
                }
            }
        }

        private static async Task<(string Id, string AppId)?> EnsureApplicationAsync(AppDirectory directory, AppRegistrationOptions options, IReadOnlyList<ResolvedResource> resources, AppRegistrationResult result, bool appOnly, CancellationToken ct)
        {
            var same = await directory.FindApplicationsAsync("displayName", options.DisplayName, ct).ConfigureAwait(false);
            var existing = same.Where(AppManifest.IsOurs).Cast<JsonElement?>().FirstOrDefault();
            if (existing is null && same.Count > 0)
            {
                if (!options.Force)
                {
                    throw new M365Exception(
                        RegistrationErrorIds.AppRegistrationNotOwned,
                        $"The tenant already has an app named '{options.DisplayName}' ({same[0].GetProperty("appId").GetString()}) that Register-M365App did not make; it is left alone.",
                        "Choose another -DisplayName, or add -Force to take that app over and bring it up to date.",
                        options.DisplayName);
                }

                existing = same[0];
            }

            if (existing is { } app)
            {
                var id = app.GetProperty("id").GetString()!;
                var patch = AppManifest.Update(app, resources, appOnly);
                if (patch is not null)
                {
                    await directory.WriteAsync(AppDirectory.Patch, "applications/" + id, patch, "bring '" + options.DisplayName + "' up to date: " + string.Join(", ", patch.Keys), ct).ConfigureAwait(false);
                }

                result.Reused.Add("Application");
                return (id, app.GetProperty("appId").GetString()!);
            }

            var created = await directory.WriteAsync(HttpMethod.Post, "applications", AppManifest.NewApplication(options.DisplayName, resources, appOnly),
                $"create the app '{options.DisplayName}' asking {string.Join("; ", resources.Select(r => r.Resource.Name + ": " + r.ScopeText))}", ct).ConfigureAwait(false);
            if (created is not { } answer)
            {
                return null;
            }

            result.Created.Add("Application");
            return (answer.GetProperty("id").GetString()!, answer.GetProperty("appId").GetString()!);
        }

        private static async Task<string?> EnsureServicePrincipalAsync(AppDirectory directory, AppRegistrationResult result, CancellationToken ct)
        {
            if (await directory.FindServicePrincipalIdAsync(result.AppId, ct).ConfigureAwait(false) is { } id)
            {
                result.Reused.Add("ServicePrincipal");
                return id;
            }

            var created = await directory.WriteAsync(HttpMethod.Post, "servicePrincipals", new Dictionary<string, object?> { ["appId"] = result.AppId }, "the service principal of " + result.AppId, ct).ConfigureAwait(false);
            if (created is not { } answer)
            {
                return null;
            }

            result.Created.Add("ServicePrincipal");
            return answer.GetProperty("id").GetString();
        }

        private static M365Exception Incomplete(AppRegistrationResult result, IReadOnlyList<ResolvedResource> resources, M365Exception cause)
        {
            var missing = new List<string>();
            if (result.ServicePrincipalId is null)
            {
                missing.Add("its service principal");
            }

            var unconsented = resources.Where(r => !result.PermissionsGranted.Any(p => p.StartsWith(r.Resource.Name + "/", StringComparison.Ordinal))).Select(r => r.Resource.Name).ToList();
            if (unconsented.Count > 0)
            {
                missing.Add((result.AppOnly ? "the application permissions of " : "consent to ") + string.Join(", ", unconsented));
            }

            return new M365Exception(
                RegistrationErrorIds.AppRegistrationIncomplete,
                $"The app '{result.DisplayName}' ({result.AppId}) exists, but the registration stopped before {string.Join(" and ", missing)}: {cause.Message}",
                "Run Register-M365App again with the same -DisplayName: it keeps what exists and finishes the rest.",
                result.AppId,
                cause);
        }
    }
}

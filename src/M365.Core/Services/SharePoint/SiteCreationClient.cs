using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Connections;
using M365.Core.Http;
using M365.Core.Resources;

namespace M365.Core.Services.SharePoint
{
    /// <summary>
    /// Creates SharePoint site collections through the connection's pipeline and polls their provisioning. A creation that
    /// timed out or lost its connection is never resent blindly: the site's status is read first, and the call is sent
    /// again only when nothing was created. Thread-safe.
    /// </summary>
    public sealed class SiteCreationClient
    {
        private readonly Connection _connection;
        private readonly ResourceRequestSender _sender;

        /// <summary>Creates a client.</summary>
        /// <param name="connection">The connection (a user sign-in for team sites).</param>
        /// <param name="sender">The request sender (e.g. one that reports verbose lines); null for <see cref="Connection.Requests"/>.</param>
        public SiteCreationClient(Connection connection, ResourceRequestSender? sender = null)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            _sender = sender ?? connection.Requests;
        }

        /// <summary>The pause between two status polls of a site. Default 2 s.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>The clock of the connection, which paces polls and timeouts.</summary>
        internal TimeProvider Time => _sender.Time;

        /// <summary>
        /// Validates the request, submits the creation and returns the site as SharePoint first reports it (usually Provisioning).
        /// </summary>
        /// <param name="request">What to create.</param>
        /// <param name="cancellationToken">Cancels the requests.</param>
        /// <exception cref="M365Exception">
        /// <see cref="ServiceErrorIds.SiteParameterInvalid"/> or <see cref="ServiceErrorIds.TeamSiteRequiresDelegatedAuth"/>, before any request.
        /// </exception>
        /// <exception cref="M365ServiceException"><see cref="ServiceErrorIds.SiteAlreadyExists"/>, or the creation's failure, targeting the request.</exception>
        public async Task<SpoSite> SubmitAsync(SiteCreationRequest request, CancellationToken cancellationToken = default)
        {
            SpoSite site = await SubmitCoreAsync(request, cancellationToken).ConfigureAwait(false);
            return site.Status == SpoSiteStatus.Ready ? await JoinHubAsync(site, cancellationToken).ConfigureAwait(false) : site;
        }

        private async Task<SpoSite> SubmitCoreAsync(SiteCreationRequest request, CancellationToken cancellationToken)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            request.ThrowIfInvalid();
            if (request.Type == SpoSiteType.TeamSite && _connection.IsAppOnly)
            {
                throw new M365Exception(
                    ServiceErrorIds.TeamSiteRequiresDelegatedAuth,
                    $"The team site '{request.Alias}' was not created: SharePoint creates Microsoft 365 groups for signed-in users only, and this connection signed in as an application.",
                    "Connect-M365 with a user sign-in (device code or -Credential) to create team sites, or create a communication site instead.",
                    request);
            }

            if (request.Type == SpoSiteType.CommunicationSite && _connection.IsAppOnly && !request.Owners.Any(o => !string.IsNullOrWhiteSpace(o)))
            {
                // The CLI for Microsoft 365 asks for an owner here, and SharePoint refuses the creation without one.
                throw new M365Exception(
                    ServiceErrorIds.SiteParameterInvalid,
                    $"The CommunicationSite '{request.Key}' was not created: [AppOnlyCommunicationSiteNeedsOwner] an app-only connection has no signed-in user to own the site.",
                    "Give -Owners with the UPN of the site's owner (or an Owners column); nothing was sent to SharePoint.",
                    request);
            }

            M365Resource tenant = await _connection.ResolveResourceAsync("SharePoint", _sender, cancellationToken).ConfigureAwait(false);
            string url = request.Type == SpoSiteType.TeamSite ? new Uri(tenant.Origin, "sites/" + request.Alias).AbsoluteUri : request.Url!.Trim().TrimEnd('/');
            if (!tenant.Covers(new Uri(url)))
            {
                throw new M365Exception(
                    ServiceErrorIds.SiteParameterInvalid,
                    $"The {request.Type} '{url}' was not created: [SiteUrlOnTenant] the URL is not on this connection's SharePoint host {tenant.Origin.Host}.",
                    $"Give a URL such as {tenant.Origin.AbsoluteUri}sites/news.",
                    request);
            }

            try
            {
                if (request.Type != SpoSiteType.TeamSite && await StatusByUrlAsync(tenant, url, cancellationToken).ConfigureAwait(false) is { } existing && existing.Status != 0)
                {
                    throw AlreadyExists(request, url, null);
                }

                try
                {
                    return await CreateAsync(request, tenant, url, cancellationToken).ConfigureAwait(false);
                }
                catch (M365HttpException ex) when (MayHaveActed(ex))
                {
                    // Never twice: the call may have reached SharePoint. Only if nothing exists at the URL is it sent again.
                    _sender.Log($"POST {ex.RequestUrl}: {ex.ErrorId}; checking whether {url} was created before sending again.");
                    if (await StatusByUrlAsync(tenant, url, cancellationToken).ConfigureAwait(false) is { } created && created.Status != 0)
                    {
                        _sender.Log($"{url} exists (SiteStatus {created.Status}); the creation went through, so it is not sent again.");
                        return new SpoSite(request, url, ToStatus(created.Status), created.SiteId, null, Time.GetUtcNow(), null);
                    }

                    _sender.Log($"{url} does not exist; sending the creation once more.");
                    return await CreateAsync(request, tenant, url, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (M365HttpException ex)
            {
                throw M365ServiceException.ForInput(ex, request);
            }
        }

        /// <summary>Reads the site's provisioning status once and updates <paramref name="site"/>.</summary>
        /// <param name="site">A site from <see cref="SubmitAsync"/>.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <returns>The same site, updated.</returns>
        /// <exception cref="M365ServiceException">The poll failed.</exception>
        public async Task<SpoSite> RefreshAsync(SpoSite site, CancellationToken cancellationToken = default)
        {
            if (site is null)
            {
                throw new ArgumentNullException(nameof(site));
            }

            if (site.Status != SpoSiteStatus.Provisioning)
            {
                return site;
            }

            await RefreshCoreAsync(site, cancellationToken).ConfigureAwait(false);
            return site.Status == SpoSiteStatus.Ready ? await JoinHubAsync(site, cancellationToken).ConfigureAwait(false) : site;
        }

        /// <summary>
        /// Associates a ready site with the hub its request names (<c>POST {site}/_api/site/JoinHubSite('{id}')</c>, as
        /// <c>m365 spo site hubsite connect</c> sends it); a site without one is returned as it is.
        /// </summary>
        private async Task<SpoSite> JoinHubAsync(SpoSite site, CancellationToken cancellationToken)
        {
            if (site.Request?.HubSiteId is not Guid hub)
            {
                return site;
            }

            try
            {
                using JsonDocument? _ = await _sender.SendJsonAsync(HttpMethod.Post, new Uri(site.Url + "/_api/site/JoinHubSite('" + hub.ToString("D") + "')"), null, RequestKind.IdempotentWrite, cancellationToken).ConfigureAwait(false);
                site.HubSiteId = hub;
                return site;
            }
            catch (M365HttpException ex)
            {
                throw new M365ServiceException(
                    ServiceErrorIds.SiteOperationFailed,
                    Sentences.End($"SharePoint created {site.Url} but did not associate it with the hub site {hub:D}: {ex.ServiceMessage ?? ex.Message}"),
                    "Check that the id is a registered hub site's; the site exists, so do not create it again (associate it in the SharePoint admin center).",
                    site.Request,
                    ex);
            }
        }

        private async Task RefreshCoreAsync(SpoSite site, CancellationToken cancellationToken)
        {
            try
            {
                M365Resource tenant = await _connection.ResolveResourceAsync("SharePoint", _sender, cancellationToken).ConfigureAwait(false);
                if (site.OperationIdentity != null)
                {
                    M365Resource admin = await _connection.ResolveResourceAsync("SharePointAdmin", _sender, cancellationToken).ConfigureAwait(false);
                    using JsonDocument answer = await ProcessQueryAsync(admin, CsomSiteCreation.Poll(site.OperationIdentity), RequestKind.Read, cancellationToken).ConfigureAwait(false);
                    if (CsomSiteCreation.ErrorOf(answer.RootElement) is { } error)
                    {
                        _sender.Log($"{site.Url}: SharePoint reported {error.Message}");
                        site.Update(SpoSiteStatus.Failed, null);
                    }
                    else if (CsomSiteCreation.OperationOf(answer.RootElement) is { } operation && operation.IsComplete)
                    {
                        site.Update(SpoSiteStatus.Ready, null);
                    }

                    return;
                }

                (int Status, Guid? SiteId)? status = site.GroupId is Guid groupId
                    ? await GroupStatusAsync(tenant, groupId, cancellationToken).ConfigureAwait(false)
                    : await StatusByUrlAsync(tenant, site.Url, cancellationToken).ConfigureAwait(false);
                if (status is { } s && s.Status != 0)
                {
                    site.Update(ToStatus(s.Status), s.SiteId);
                }

                return;
            }
            catch (M365HttpException ex)
            {
                throw M365ServiceException.ForInput(ex, site.Request);
            }
        }

        /// <summary>Polls one site until it is ready, fails or <paramref name="timeout"/> passes (see <see cref="SiteProvisioningTracker"/>).</summary>
        /// <param name="site">A site from <see cref="SubmitAsync"/>.</param>
        /// <param name="timeout">How long to wait.</param>
        /// <param name="cancellationToken">Cancels the wait at once.</param>
        /// <returns>The ready site.</returns>
        /// <exception cref="M365ServiceException"><see cref="ServiceErrorIds.SiteCreationFailed"/>, <see cref="ServiceErrorIds.SiteCreationTimedOut"/> or the poll's failure.</exception>
        public async Task<SpoSite> WaitAsync(SpoSite site, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            var tracker = new SiteProvisioningTracker(this, timeout);
            tracker.Add(site);
            await foreach (SiteWaitResult result in tracker.WaitAllAsync(cancellationToken).ConfigureAwait(false))
            {
                return result.Error is null ? result.Site : throw result.Error;
            }

            return site;
        }

        internal static M365ServiceException Failed(SpoSite site) =>
            new M365ServiceException(
                ServiceErrorIds.SiteCreationFailed,
                $"SharePoint could not provision the {site.Type} {site.Url}.",
                "Try again later; SharePoint lets a URL whose creation failed be created again.",
                site.Request);

        internal static M365ServiceException TimedOut(SpoSite site, TimeSpan timeout) =>
            new M365ServiceException(
                ServiceErrorIds.SiteCreationTimedOut,
                $"The {site.Type} {site.Url} was still provisioning after {timeout.TotalSeconds:0.#} s.",
                $"SharePoint goes on provisioning it: run Get-M365SpoSite -Url {site.Url} to see its status, or wait longer with a larger -Timeout. Do not create it again.",
                site.Request);

        private static bool MayHaveActed(M365HttpException ex) =>
            ex.ErrorId == HttpErrorIds.RequestTimedOut || ex.ErrorId == HttpErrorIds.ServiceUnreachable
            || ex.ErrorId == HttpErrorIds.GatewayTimeout || ex.ErrorId == HttpErrorIds.ServiceError;

        private static SpoSiteStatus ToStatus(int siteStatus) =>
            siteStatus == 2 ? SpoSiteStatus.Ready : siteStatus == 3 ? SpoSiteStatus.Failed : SpoSiteStatus.Provisioning;

        private static M365ServiceException AlreadyExists(SiteCreationRequest request, string url, M365HttpException? cause) =>
            new M365ServiceException(
                ServiceErrorIds.SiteAlreadyExists,
                request.Type == SpoSiteType.TeamSite
                    ? $"A Microsoft 365 group with the alias '{request.Alias}' already exists, so the team site was not created."
                    : $"A site already exists at {url}, so the {request.Type} was not created.",
                request.Type == SpoSiteType.TeamSite ? "Choose another -Alias." : "Choose another -Url, or use the existing site.",
                request,
                cause);

        private async Task<SpoSite> CreateAsync(SiteCreationRequest request, M365Resource tenant, string url, CancellationToken cancellationToken)
        {
            DateTimeOffset submitted = Time.GetUtcNow();
            switch (request.Type)
            {
                case SpoSiteType.CommunicationSite:
                {
                    using JsonDocument? answer = await _sender.SendJsonAsync(HttpMethod.Post, new Uri(tenant.Origin, "_api/SPSiteManager/Create"), CommunicationSiteBody(request), RequestKind.CreatingWrite, cancellationToken).ConfigureAwait(false);
                    JsonElement root = answer?.RootElement ?? default;
                    int status = root.ValueKind == JsonValueKind.Object ? JsonValues.Int(root, "SiteStatus") ?? 1 : 1;
                    return new SpoSite(request, JsonValues.String(root, "SiteUrl") is { Length: > 0 } siteUrl ? siteUrl : url, ToStatus(status), root.ValueKind == JsonValueKind.Object ? JsonValues.Guid(root, "SiteId") : null, null, submitted, null);
                }

                case SpoSiteType.TeamSite:
                {
                    JsonDocument? answer;
                    try
                    {
                        answer = await _sender.SendJsonAsync(HttpMethod.Post, new Uri(tenant.Origin, "_api/GroupSiteManager/CreateGroupEx"), TeamSiteBody(request), RequestKind.CreatingWrite, cancellationToken).ConfigureAwait(false);
                    }
                    catch (M365HttpException ex) when (ex.StatusCode == 400 && ex.ServiceMessage?.IndexOf("already exists", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        throw AlreadyExists(request, url, ex);
                    }

                    using (answer)
                    {
                        JsonElement root = answer?.RootElement ?? default;
                        bool isObject = root.ValueKind == JsonValueKind.Object;
                        if (isObject && JsonValues.String(root, "ErrorMessage") is { Length: > 0 } error && (JsonValues.Int(root, "SiteStatus") ?? 0) == 3)
                        {
                            throw new M365ServiceException(ServiceErrorIds.SiteCreationFailed, Sentences.End($"SharePoint could not create the team site '{request.Alias}': {error}"), "Check the alias and owners, then try again.", request);
                        }

                        return new SpoSite(
                            request,
                            isObject && JsonValues.String(root, "SiteUrl") is { Length: > 0 } siteUrl ? siteUrl : url,
                            ToStatus(isObject ? JsonValues.Int(root, "SiteStatus") ?? 1 : 1),
                            null,
                            isObject ? JsonValues.Guid(root, "GroupId") : null,
                            submitted,
                            null);
                    }
                }

                default:
                {
                    M365Resource admin = await _connection.ResolveResourceAsync("SharePointAdmin", _sender, cancellationToken).ConfigureAwait(false);
                    using JsonDocument answer = await ProcessQueryAsync(admin, CsomSiteCreation.CreateSite(request), RequestKind.CreatingWrite, cancellationToken).ConfigureAwait(false);
                    if (CsomSiteCreation.ErrorOf(answer.RootElement) is { } error)
                    {
                        throw error.Code == CsomSiteCreation.SiteExistsErrorCode
                            ? AlreadyExists(request, url, null)
                            : new M365ServiceException(ServiceErrorIds.SiteCreationFailed, Sentences.End($"SharePoint refused to create the classic site {url}: {error.Message}"), "Check the parameters, then try again.", request);
                    }

                    (string? Identity, bool IsComplete)? operation = CsomSiteCreation.OperationOf(answer.RootElement);
                    return new SpoSite(request, url, operation?.IsComplete == true ? SpoSiteStatus.Ready : SpoSiteStatus.Provisioning, null, null, submitted, operation?.Identity);
                }
            }
        }

        private Task<JsonDocument> ProcessQueryAsync(M365Resource admin, string xml, RequestKind kind, CancellationToken cancellationToken) =>
            CsomTenantSites.ProcessQueryAsync(_sender, admin, xml, kind, cancellationToken);

        private async Task<(int Status, Guid? SiteId)?> StatusByUrlAsync(M365Resource tenant, string url, CancellationToken cancellationToken)
        {
            var statusUrl = new Uri(tenant.Origin, "_api/SPSiteManager/status?url=" + Uri.EscapeDataString("'" + url.Replace("'", "''") + "'"));
            using JsonDocument answer = await _sender.GetJsonAsync(statusUrl, cancellationToken).ConfigureAwait(false);
            JsonElement root = answer.RootElement;
            return root.ValueKind == JsonValueKind.Object ? (JsonValues.Int(root, "SiteStatus") ?? 0, JsonValues.Guid(root, "SiteId")) : ((int, Guid?)?)null;
        }

        private async Task<(int Status, Guid? SiteId)?> GroupStatusAsync(M365Resource tenant, Guid groupId, CancellationToken cancellationToken)
        {
            using JsonDocument answer = await _sender.GetJsonAsync(new Uri(tenant.Origin, "_api/GroupSiteManager/GetSiteStatus('" + groupId.ToString("D") + "')"), cancellationToken).ConfigureAwait(false);
            JsonElement root = answer.RootElement;
            return root.ValueKind == JsonValueKind.Object ? (JsonValues.Int(root, "SiteStatus") ?? 0, (Guid?)null) : ((int, Guid?)?)null;
        }

        private static Dictionary<string, object> CommunicationSiteBody(SiteCreationRequest request)
        {
            var body = new Dictionary<string, object>
            {
                ["Title"] = request.Title!,
                ["Url"] = request.Url!.Trim().TrimEnd('/'),
                ["WebTemplate"] = "SITEPAGEPUBLISHING#0",
            };
            AddIfSet(body, "Description", request.Description);
            AddIfSet(body, "Classification", request.Classification);
            Guid? design = request.SiteDesignId ?? (request.SiteDesign is CommunicationSiteDesign named ? SiteCreationRequest.SiteDesignIds[named] : (Guid?)null);
            if (design is Guid id)
            {
                body["SiteDesignId"] = id.ToString("D");
            }

            if (request.Lcid is int lcid)
            {
                body["Lcid"] = lcid;
            }

            if (request.Owners.FirstOrDefault(o => !string.IsNullOrWhiteSpace(o)) is string owner)
            {
                body["Owner"] = owner;
            }

            if (request.ShareByEmailEnabled is bool share)
            {
                body["ShareByEmailEnabled"] = share;
            }

            if (request.SensitivityLabel is Guid label)
            {
                body["SensitivityLabel"] = label.ToString("D");
            }

            return new Dictionary<string, object> { ["request"] = body };
        }

        private static Dictionary<string, object> TeamSiteBody(SiteCreationRequest request)
        {
            var options = new List<string> { "SPSiteLanguage:" + (request.Lcid ?? 1033) };
            if (request.SensitivityLabel is Guid label)
            {
                options.Add("SensitivityLabel:" + label.ToString("D"));
            }

            var creationOptions = new Dictionary<string, object> { ["results"] = options.ToArray() };
            AddIfSet(creationOptions, "Classification", request.Classification);
            var optional = new Dictionary<string, object> { ["CreationOptions"] = creationOptions };
            AddIfSet(optional, "Description", request.Description);
            AddIfSet(optional, "PreferredDataLocation", request.PreferredDataLocation?.ToUpperInvariant());
            string[] owners = request.Owners.Where(o => !string.IsNullOrWhiteSpace(o)).ToArray();
            if (owners.Length > 0)
            {
                optional["Owners"] = new Dictionary<string, object> { ["results"] = owners };
            }

            return new Dictionary<string, object>
            {
                ["displayName"] = request.Title!,
                ["alias"] = request.Alias!,
                ["isPublic"] = request.IsPublic ?? false,
                ["optionalParams"] = optional,
            };
        }

        private static void AddIfSet(Dictionary<string, object> body, string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                body[name] = value!;
            }
        }
    }
}

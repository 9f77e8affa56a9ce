using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Connections;
using M365.Core.Http;
using M365.Core.Resources;

namespace M365.Core.Services.SharePoint
{
    /// <summary>
    /// The tenant's sites as its SharePoint admin host sees them (CSOM on <c>-admin</c>): the listing, a site's admin
    /// properties, removal (a group's site through the deletion of its group in Graph, as SharePoint requires), the
    /// recycle bin, and the polling of the SpoOperations these start. Never removes the tenant's root, admin or OneDrive
    /// host site. Delegated and app-only alike. Thread-safe.
    /// </summary>
    public sealed class TenantSiteClient
    {
        private readonly Connection _connection;
        private readonly ResourceRequestSender _sender;

        /// <summary>Creates a client.</summary>
        /// <param name="connection">The connection (a SharePoint administrator, or an app with Sites.FullControl.All).</param>
        /// <param name="sender">The request sender (e.g. one that reports verbose lines); null for <see cref="Connection.Requests"/>.</param>
        public TenantSiteClient(Connection connection, ResourceRequestSender? sender = null)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            _sender = sender ?? connection.Requests;
        }

        /// <summary>The longest pause between two polls of an operation (SharePoint's PollingInterval, when shorter, wins). Default 2 s.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>How long <see cref="WaitAsync"/> waits for an operation. Default 30 minutes.</summary>
        public TimeSpan MaxWait { get; set; } = TimeSpan.FromMinutes(30);

        /// <summary>The connection's clock, which paces the polls.</summary>
        public TimeProvider Time => _sender.Time;

        /// <summary>Lists the tenant's sites, one page (GetSitePropertiesFromSharePointByFilters) at a time, as they are read.</summary>
        /// <param name="query">Template, CSOM filter and whether OneDrive sites are included.</param>
        /// <param name="cancellationToken">Cancels the requests.</param>
        /// <exception cref="M365ServiceException"><see cref="ServiceErrorIds.SiteFilterInvalid"/> for a filter SharePoint refuses, <see cref="ServiceErrorIds.SiteOperationFailed"/>, or the request's failure.</exception>
        public async IAsyncEnumerable<SpoSite> ListAsync(SiteListQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (query is null)
            {
                throw new ArgumentNullException(nameof(query));
            }

            M365Resource admin = await ResolveAsync("SharePointAdmin", cancellationToken).ConfigureAwait(false);
            var starts = new HashSet<string>(StringComparer.Ordinal);
            string? start = "0";
            while (start != null)
            {
                var page = new List<SpoSite>();
                using (JsonDocument answer = await SendAsync(admin, CsomTenantSites.ListSites(query.Filter ?? string.Empty, query.Template ?? string.Empty, query.IncludeOneDriveSites, start), RequestKind.Read, query, cancellationToken).ConfigureAwait(false))
                {
                    if (CsomSiteCreation.ErrorOf(answer.RootElement) is { } error)
                    {
                        throw string.Equals(CsomTenantSites.ErrorTypeOf(answer.RootElement), "System.ArgumentException", StringComparison.Ordinal) && !string.IsNullOrEmpty(query.Filter)
                            ? new M365ServiceException(ServiceErrorIds.SiteFilterInvalid, Sentences.End("SharePoint refused the filter: " + error.Message), "Write it as SharePoint's filter: Url -like 'sales' -and Title -eq 'News' (-eq, -ne, -like, -notlike; -and, -or).", query)
                            : Failed("list the tenant's sites", error.Message, query);
                    }

                    JsonElement? result = CsomTenantSites.Result(answer.RootElement);
                    if (result is { } r && r.TryGetProperty("_Child_Items_", out JsonElement items) && items.ValueKind == JsonValueKind.Array)
                    {
                        foreach (JsonElement item in items.EnumerateArray())
                        {
                            if (CsomTenantSites.Site(item) is { } site)
                            {
                                page.Add(site);
                            }
                        }
                    }

                    start = result is { } last ? JsonValues.String(last, "NextStartIndexFromSharePoint") : null;
                    if (string.IsNullOrEmpty(start))
                    {
                        start = null;
                    }
                    else if (!starts.Add(start!))
                    {
                        throw Failed("list the tenant's sites", $"SharePoint named the page at {start} twice", query);
                    }
                }

                foreach (SpoSite site in page)
                {
                    yield return site;
                }
            }
        }

        /// <summary>Reads one site's admin properties (GetSitePropertiesByUrl): owner, storage, sharing, lock state, hub, group.</summary>
        /// <exception cref="M365Exception"><see cref="ServiceErrorIds.SiteParameterInvalid"/> for a URL that is not the tenant's, before any request.</exception>
        /// <exception cref="M365ServiceException"><see cref="ServiceErrorIds.SiteNotFound"/>, or the request's failure.</exception>
        public async Task<SpoSite> GetAsync(string url, CancellationToken cancellationToken = default)
        {
            string siteUrl = await SiteUrlAsync(url, cancellationToken).ConfigureAwait(false);
            M365Resource admin = await ResolveAsync("SharePointAdmin", cancellationToken).ConfigureAwait(false);
            using JsonDocument answer = await SendAsync(admin, CsomTenantSites.SiteByUrl(siteUrl), RequestKind.Read, url, cancellationToken).ConfigureAwait(false);
            ThrowIfError(answer.RootElement, "read", siteUrl, url);
            return (CsomTenantSites.Result(answer.RootElement) is { } result ? CsomTenantSites.Site(result) : null)
                ?? throw new M365ServiceException(ServiceErrorIds.SiteResponseInvalid, $"SharePoint's answer for {siteUrl} holds no site properties.", "Try again; report the request id if it persists.", url);
        }

        /// <summary>
        /// Starts the removal of an active site: a group's site by deleting its Microsoft 365 group in Graph, any other by
        /// Tenant.RemoveSite. The site goes to the recycle bin. The tenant's root, admin and OneDrive host sites are refused
        /// before any request.
        /// </summary>
        /// <exception cref="M365Exception"><see cref="ServiceErrorIds.SiteRemovalRefused"/> or <see cref="ServiceErrorIds.SiteParameterInvalid"/>, before any request.</exception>
        /// <exception cref="M365ServiceException"><see cref="ServiceErrorIds.SiteNotFound"/>, <see cref="ServiceErrorIds.SiteOperationFailed"/>, or the request's failure.</exception>
        public async Task<SiteOperation> RemoveAsync(string url, CancellationToken cancellationToken = default)
        {
            string siteUrl = await RemovableUrlAsync(url, cancellationToken).ConfigureAwait(false);
            SpoSite site = await GetAsync(siteUrl, cancellationToken).ConfigureAwait(false);
            if (site.GroupId is Guid groupId)
            {
                var groupUrl = new Uri(_connection.Resources.Graph.Origin, "v1.0/groups/" + groupId.ToString("D"));
                try
                {
                    using JsonDocument? _ = await _sender.SendJsonAsync(HttpMethod.Delete, groupUrl, null, RequestKind.IdempotentWrite, cancellationToken).ConfigureAwait(false);
                }
                catch (M365HttpException ex)
                {
                    throw M365ServiceException.ForInput(ex, url);
                }

                return new SiteOperation(site.Url, SiteOperationKind.Remove, groupId, null, false, TimeSpan.Zero, Time.GetUtcNow());
            }

            return await OperationAsync("RemoveSite", SiteOperationKind.Remove, site.Url, url, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Starts deleting a site of the recycle bin for good (Tenant.RemoveDeletedSite).</summary>
        /// <exception cref="M365Exception">As <see cref="RemoveAsync"/>, before any request.</exception>
        /// <exception cref="M365ServiceException"><see cref="ServiceErrorIds.SiteNotFound"/> when it is not in the recycle bin, or the request's failure.</exception>
        public async Task<SiteOperation> RemoveDeletedAsync(string url, CancellationToken cancellationToken = default) =>
            await OperationAsync("RemoveDeletedSite", SiteOperationKind.RemoveDeleted, await RemovableUrlAsync(url, cancellationToken).ConfigureAwait(false), url, cancellationToken).ConfigureAwait(false);

        /// <summary>Starts bringing a site of the recycle bin back (Tenant.RestoreDeletedSite).</summary>
        /// <exception cref="M365Exception"><see cref="ServiceErrorIds.SiteParameterInvalid"/>, before any request.</exception>
        /// <exception cref="M365ServiceException"><see cref="ServiceErrorIds.SiteNotFound"/> when it is not in the recycle bin, or the request's failure.</exception>
        public async Task<SiteOperation> RestoreAsync(string url, CancellationToken cancellationToken = default) =>
            await OperationAsync("RestoreDeletedSite", SiteOperationKind.Restore, await SiteUrlAsync(url, cancellationToken).ConfigureAwait(false), url, cancellationToken).ConfigureAwait(false);

        /// <summary>Polls the operation once and updates it.</summary>
        /// <exception cref="M365ServiceException"><see cref="ServiceErrorIds.SiteOperationFailed"/>, or the request's failure.</exception>
        public async Task<SiteOperation> PollAsync(SiteOperation operation, CancellationToken cancellationToken = default)
        {
            if (operation is null)
            {
                throw new ArgumentNullException(nameof(operation));
            }

            if (operation.IsComplete)
            {
                return operation;
            }

            M365Resource admin = await ResolveAsync("SharePointAdmin", cancellationToken).ConfigureAwait(false);
            if (operation.Identity is null)
            {
                // A group's site leaves the active sites once SharePoint has followed the group's deletion.
                using JsonDocument site = await SendAsync(admin, CsomTenantSites.SiteByUrl(operation.Url), RequestKind.Read, operation.Url, cancellationToken).ConfigureAwait(false);
                operation.IsComplete = CsomTenantSites.ErrorTypeOf(site.RootElement)?.EndsWith(CsomTenantSites.NoSiteException, StringComparison.Ordinal) == true
                    || (CsomTenantSites.Result(site.RootElement) is { } props && string.Equals(JsonValues.String(props, "Status"), "Recycled", StringComparison.OrdinalIgnoreCase));
                return operation;
            }

            using JsonDocument answer = await SendAsync(admin, CsomSiteCreation.Poll(operation.Identity), RequestKind.Read, operation.Url, cancellationToken).ConfigureAwait(false);
            ThrowIfError(answer.RootElement, Verb(operation.Kind), operation.Url, operation.Url);
            Read(operation, CsomTenantSites.Result(answer.RootElement));
            return operation;
        }

        /// <summary>Polls until the operation is complete, at SharePoint's pace (at most <see cref="PollInterval"/> apart), for at most <see cref="MaxWait"/>.</summary>
        /// <param name="operation">An operation from <see cref="RemoveAsync"/>, <see cref="RemoveDeletedAsync"/> or <see cref="RestoreAsync"/>.</param>
        /// <param name="onPoll">Called after each poll (for progress), on the polling thread.</param>
        /// <param name="cancellationToken">Cancels the wait at once.</param>
        /// <exception cref="M365ServiceException"><see cref="ServiceErrorIds.SiteOperationTimedOut"/>, <see cref="ServiceErrorIds.SiteOperationFailed"/>, or a poll's failure.</exception>
        public async Task<SiteOperation> WaitAsync(SiteOperation operation, Action<SiteOperation>? onPoll = null, CancellationToken cancellationToken = default)
        {
            if (operation is null)
            {
                throw new ArgumentNullException(nameof(operation));
            }

            DateTimeOffset deadline = operation.Started + MaxWait;
            while (!operation.IsComplete)
            {
                if (Time.GetUtcNow() >= deadline)
                {
                    throw new M365ServiceException(
                        ServiceErrorIds.SiteOperationTimedOut,
                        $"SharePoint had not finished ({Verb(operation.Kind)} {operation.Url}) after {Durations.Describe(MaxWait)}.",
                        $"SharePoint goes on in the background; do not send it again. In a few minutes, Get-M365SpoSite -Url {operation.Url} (or the admin center's deleted sites) shows where it stands.",
                        operation.Url);
                }

                TimeSpan pause = operation.PollingInterval > TimeSpan.Zero && operation.PollingInterval < PollInterval ? operation.PollingInterval : PollInterval;
                await Time.Delay(pause, cancellationToken).ConfigureAwait(false);
                await PollAsync(operation, cancellationToken).ConfigureAwait(false);
                onPoll?.Invoke(operation);
            }

            return operation;
        }

        private async Task<SiteOperation> OperationAsync(string method, SiteOperationKind kind, string siteUrl, object target, CancellationToken cancellationToken)
        {
            M365Resource admin = await ResolveAsync("SharePointAdmin", cancellationToken).ConfigureAwait(false);
            DateTimeOffset started = Time.GetUtcNow();
            using JsonDocument answer = await SendAsync(admin, CsomTenantSites.SiteOperation(method, siteUrl), RequestKind.CreatingWrite, target, cancellationToken).ConfigureAwait(false);
            ThrowIfError(answer.RootElement, Verb(kind), siteUrl, target);
            JsonElement? result = CsomTenantSites.Result(answer.RootElement);
            var operation = new SiteOperation(siteUrl, kind, null, result is { } r ? JsonValues.String(r, "_ObjectIdentity_") : null, false, TimeSpan.Zero, started);
            Read(operation, result);
            if (operation.Identity is null)
            {
                // Nothing to poll: SharePoint did it at once, or says nothing about it.
                operation.IsComplete = true;
            }

            return operation;
        }

        private static void Read(SiteOperation operation, JsonElement? result)
        {
            if (result is { } r)
            {
                operation.IsComplete = JsonValues.Bool(r, "IsComplete") == true;
                operation.PollingInterval = TimeSpan.FromMilliseconds(Math.Max(0, JsonValues.Int(r, "PollingInterval") ?? 0));
            }
        }

        private static string Verb(SiteOperationKind kind) =>
            kind == SiteOperationKind.Remove ? "remove" : kind == SiteOperationKind.RemoveDeleted ? "delete for good" : "restore";

        private static void ThrowIfError(JsonElement answer, string verb, string siteUrl, object target)
        {
            if (CsomSiteCreation.ErrorOf(answer) is not { } error)
            {
                return;
            }

            if (CsomTenantSites.ErrorTypeOf(answer)?.EndsWith(CsomTenantSites.NoSiteException, StringComparison.Ordinal) == true)
            {
                throw new M365ServiceException(
                    ServiceErrorIds.SiteNotFound,
                    Sentences.End($"SharePoint found no site to {verb} at {siteUrl}: {error.Message}"),
                    verb == "remove" || verb == "read" ? "Check the URL; a deleted site is in the recycle bin (Remove-M365SpoSite -FromRecycleBin, Restore-M365SpoSite)." : "Check the URL: only a site in the recycle bin can be restored or deleted for good.",
                    target);
            }

            throw Failed(verb + " " + siteUrl, error.Message, target);
        }

        private static M365ServiceException Failed(string what, string message, object? target) =>
            new M365ServiceException(ServiceErrorIds.SiteOperationFailed, Sentences.End($"SharePoint could not {what}: {message}"), "Read SharePoint's message; check the site in the SharePoint admin center.", target);

        private async Task<JsonDocument> SendAsync(M365Resource admin, string xml, RequestKind kind, object? target, CancellationToken cancellationToken)
        {
            try
            {
                return await CsomTenantSites.ProcessQueryAsync(_sender, admin, xml, kind, cancellationToken).ConfigureAwait(false);
            }
            catch (M365HttpException ex)
            {
                throw M365ServiceException.ForInput(ex, target);
            }
        }

        private Task<M365Resource> ResolveAsync(string name, CancellationToken cancellationToken) => _connection.ResolveResourceAsync(name, _sender, cancellationToken);

        private Task<string> SiteUrlAsync(string url, CancellationToken cancellationToken) => TenantSiteUrls.SiteUrlAsync(_connection, _sender, url, cancellationToken);

        private Task<string> RemovableUrlAsync(string url, CancellationToken cancellationToken) => TenantSiteUrls.RemovableUrlAsync(_connection, _sender, url, cancellationToken);
    }
}

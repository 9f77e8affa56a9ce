using System;
using System.Management.Automation;
using M365.Core;
using M365.Core.Services;
using M365.Core.Services.SharePoint;
using M365.PowerShell.Infrastructure;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Gets SharePoint sites: the tenant's sites from its admin host (filtered, streamed), or sites by URL with their status, title, template and creation time.</para>
/// <para type="description">Without -Url, lists the tenant's sites page by page through CSOM Tenant.GetSitePropertiesFromSharePointByFilters on the admin host, as m365 spo site list and Get-PnPTenantSite do. With -Url, asks the tenant's SPSiteManager for the status of each URL, then the site itself; -Detailed reads it from the admin host instead (owner, storage, sharing, lock state, hub). A URL with no site writes SiteNotFound and the others go on.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "M365SpoSite", DefaultParameterSetName = ListSet)]
[OutputType("M365.SpoSite")]
public sealed class GetM365SpoSiteCommand : M365ConnectedCmdlet
{
    public const string UrlSet = "Url";
    public const string ListSet = "List";

    /// <summary>
    /// Site collection URLs: strings from the pipeline, or objects with a Url property (Add-M365SpoSite's sites, CSV rows).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = UrlSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Url { get; set; } = Array.Empty<string>();

    /// <summary>Reads each URL's site from the tenant's admin host (CSOM GetSitePropertiesByUrl): owner, storage, sharing, lock state and hub too. Needs a SharePoint administrator or Sites.FullControl.All.</summary>
    [Parameter(ParameterSetName = UrlSet)]
    public SwitchParameter Detailed { get; set; }

    /// <summary>Lists only sites of this web template, such as GROUP#0, SITEPAGEPUBLISHING#0 or STS#3.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(WebTemplateCompleter))]
    public string? Template { get; set; }

    /// <summary>Lists only sites of this kind: TeamSite (GROUP#0), CommunicationSite (SITEPAGEPUBLISHING#0) or ClassicSite (STS#0); a shorthand for -Template.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public SiteType? Type { get; set; }

    /// <summary>SharePoint's site filter, such as "Url -like 'sales'" or "Title -eq 'News' -and LockState -eq 'Unlock'" (-eq, -ne, -like, -notlike; -and, -or).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>Lists the users' OneDrive sites too (left out by default, as SharePoint does).</summary>
    [Parameter(ParameterSetName = ListSet)]
    public SwitchParameter IncludeOneDriveSites { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ListSet)
        {
            List();
            return;
        }

        SiteLookupClient? client = null;
        TenantSiteClient? admin = null;
        foreach (var url in Url)
        {
            if (string.IsNullOrWhiteSpace(url))
            {
                continue;
            }

            try
            {
                if (client is null || admin is null)
                {
                    var connection = ResolvedConnection;
                    client = new SiteLookupClient(connection, VerboseSender(connection));
                    admin = new TenantSiteClient(connection, VerboseSender(connection));
                }

                var site = Detailed ? Await(ct => admin.GetAsync(url, ct)) : Await(ct => client.GetAsync(url, ct));
                WriteObject(ServiceObjects.Tagged(site));
            }
            catch (Exception ex) when (ex is M365Exception || ex is OperationCanceledException)
            {
                WriteInputError(ex, url);
            }
        }
    }

    private void List()
    {
        var query = new SiteListQuery
        {
            Template = Template ?? Type switch
            {
                SiteType.TeamSite => "GROUP#0",
                SiteType.CommunicationSite => "SITEPAGEPUBLISHING#0",
                SiteType.ClassicSite => "STS#0",
                _ => null,
            },
            Filter = Filter,
            IncludeOneDriveSites = IncludeOneDriveSites,
        };
        try
        {
            if ((Template is not null || Type is not null) && IncludeOneDriveSites)
            {
                throw new M365Exception(
                    ServiceErrorIds.SiteParameterInvalid,
                    "-IncludeOneDriveSites lists every template: [OneDriveWithTemplate] it does not combine with -Template or -Type.",
                    "Give -Template SPSPERS#10 for OneDrive sites only, or leave -Template and -Type out.",
                    query);
            }

            var connection = ResolvedConnection;
            var client = new TenantSiteClient(connection, VerboseSender(connection));
            AwaitEach(ct => client.ListAsync(query, ct), site => WriteObject(ServiceObjects.Tagged(site)));
        }
        catch (Exception ex) when (ex is M365Exception || ex is OperationCanceledException)
        {
            WriteInputError(ex, query);
        }
    }
}

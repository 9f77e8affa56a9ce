using System;
using System.Management.Automation;
using M365.Core;
using M365.Core.Services.SharePoint;
using M365.PowerShell.Infrastructure;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Gets SharePoint sites by URL: whether each is still provisioning or ready, and its title, template and creation time.</para>
/// <para type="description">Asks the tenant's SPSiteManager for the status of each URL, then the site itself for its details once it is ready. A URL with no site writes SiteNotFound and the others go on.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "M365SpoSite", DefaultParameterSetName = UrlSet)]
[OutputType("M365.SpoSite")]
public sealed class GetM365SpoSiteCommand : M365ConnectedCmdlet
{
    // The URL set is one of several: a listing of the tenant's sites (no -Url) can be added beside it as its own set.
    public const string UrlSet = "Url";

    /// <summary>
    /// Site collection URLs: strings from the pipeline, or objects with a Url property (Add-M365SpoSite's sites, CSV rows).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = UrlSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Url { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        SiteLookupClient? client = null;
        foreach (var url in Url)
        {
            if (string.IsNullOrWhiteSpace(url))
            {
                continue;
            }

            try
            {
                if (client is null)
                {
                    var connection = ResolvedConnection;
                    client = new SiteLookupClient(connection, VerboseSender(connection));
                }

                var site = Await(ct => client.GetAsync(url, ct));
                WriteObject(ServiceObjects.Tagged(site));
            }
            catch (Exception ex) when (ex is M365Exception || ex is OperationCanceledException)
            {
                WriteInputError(ex, url);
            }
        }
    }
}

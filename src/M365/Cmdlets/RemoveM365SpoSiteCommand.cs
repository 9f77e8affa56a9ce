using System;
using System.Management.Automation;
using M365.Core;
using M365.Core.Services.SharePoint;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Removes SharePoint sites to the recycle bin (a group's site through its Microsoft 365 group), or with -FromRecycleBin deletes them for good.</para>
/// <para type="description">A group-connected site is removed by deleting its group in Microsoft Graph, as SharePoint requires; any other site by CSOM Tenant.RemoveSite on the admin host. Either way the site goes to the recycle bin, from which Restore-M365SpoSite brings it back for 93 days. The operation is polled until SharePoint has finished, with progress. The tenant's root site and its admin site are never removed, whatever is passed (SiteRemovalRefused, nothing sent).</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "M365SpoSite", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveM365SpoSiteCommand : M365ConnectedCmdlet
{
    /// <summary>Site collection URLs: strings, or objects with a Url property (Get-M365SpoSite's sites, CSV rows).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Url { get; set; } = Array.Empty<string>();

    /// <summary>Deletes sites that are in the recycle bin for good (CSOM Tenant.RemoveDeletedSite); they cannot be restored afterwards.</summary>
    [Parameter]
    public SwitchParameter FromRecycleBin { get; set; }

    /// <summary>Returns once SharePoint accepted each removal, without polling until it has finished.</summary>
    [Parameter]
    public SwitchParameter NoWait { get; set; }

    protected override void ProcessRecord()
    {
        TenantSiteClient? client = null;
        foreach (var url in Url)
        {
            if (string.IsNullOrWhiteSpace(url))
            {
                continue;
            }

            var action = FromRecycleBin ? "Delete the site from the recycle bin for good" : "Remove the site (to the recycle bin; a group's site with its Microsoft 365 group)";
            if (!ShouldProcess(url, action))
            {
                continue;
            }

            try
            {
                if (client is null)
                {
                    var connection = ResolvedConnection;
                    client = new TenantSiteClient(connection, VerboseSender(connection));
                }

                var operation = Await(ct => FromRecycleBin ? client.RemoveDeletedAsync(url, ct) : client.RemoveAsync(url, ct));
                if (operation.GroupId is Guid group)
                {
                    WriteVerbose($"{operation.Url} belongs to the Microsoft 365 group {group}: the group was deleted, and SharePoint moves the site to the recycle bin.");
                }

                if (!NoWait)
                {
                    SiteOperationProgress.Wait(this, client, operation, "Remove-M365SpoSite");
                }
            }
            catch (Exception ex) when (ex is M365Exception || ex is OperationCanceledException)
            {
                WriteInputError(ex, url);
            }
        }
    }
}

using System;
using System.Management.Automation;
using M365.Core;
using M365.Core.Services.SharePoint;
using M365.PowerShell.Infrastructure;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Restores SharePoint sites from the tenant's recycle bin.</para>
/// <para type="description">Calls CSOM Tenant.RestoreDeletedSite on the admin host for each URL, polls the operation until SharePoint has finished (with progress), then writes the restored site as the admin host reports it. A URL that is not in the recycle bin writes SiteNotFound and the others go on.</para>
/// </summary>
[Cmdlet(VerbsData.Restore, "M365SpoSite", SupportsShouldProcess = true)]
[OutputType("M365.SpoSite")]
public sealed class RestoreM365SpoSiteCommand : M365ConnectedCmdlet
{
    /// <summary>URLs of sites in the recycle bin: strings, or objects with a Url property.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Url { get; set; } = Array.Empty<string>();

    /// <summary>Returns once SharePoint accepted each restore, without polling until it has finished; nothing is written.</summary>
    [Parameter]
    public SwitchParameter NoWait { get; set; }

    protected override void ProcessRecord()
    {
        TenantSiteClient? client = null;
        foreach (var url in Url)
        {
            if (string.IsNullOrWhiteSpace(url) || !ShouldProcess(url, "Restore the site from the recycle bin"))
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

                var operation = Await(ct => client.RestoreAsync(url, ct));
                if (NoWait)
                {
                    continue;
                }

                SiteOperationProgress.Wait(this, client, operation, "Restore-M365SpoSite");
                WriteObject(ServiceObjects.Tagged(Await(ct => client.GetAsync(operation.Url, ct))));
            }
            catch (Exception ex) when (ex is M365Exception || ex is OperationCanceledException)
            {
                WriteInputError(ex, url);
            }
        }
    }
}

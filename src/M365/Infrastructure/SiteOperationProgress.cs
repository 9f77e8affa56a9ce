using System.Management.Automation;
using M365.Core;
using M365.Core.Services.SharePoint;

namespace M365.PowerShell.Infrastructure;

/// <summary>
/// Waits for a site removal or restore with a progress bar: SharePoint gives no share done, so the bar names the site,
/// what SharePoint is doing and the time elapsed, on the connection's clock.
/// </summary>
internal static class SiteOperationProgress
{
    private const int ActivityId = 2;

    public static void Wait(M365Cmdlet cmdlet, TenantSiteClient client, SiteOperation operation, string activity)
    {
        if (operation.IsComplete)
        {
            return;
        }

        var record = new ProgressRecord(ActivityId, activity, Status(client, operation));
        cmdlet.WriteProgress(record);
        cmdlet.Await(ct => client.WaitAsync(operation, o => cmdlet.Post(() => cmdlet.WriteProgress(new ProgressRecord(ActivityId, activity, Status(client, o)))), ct));
        cmdlet.WriteProgress(new ProgressRecord(ActivityId, activity, "Done: " + operation.Url) { RecordType = ProgressRecordType.Completed });
    }

    private static string Status(TenantSiteClient client, SiteOperation operation)
    {
        var doing = operation.Kind switch
        {
            SiteOperationKind.Remove => "SharePoint is removing",
            SiteOperationKind.RemoveDeleted => "SharePoint is deleting for good",
            _ => "SharePoint is restoring",
        };
        return $"{doing} {operation.Url} ({Durations.Describe(client.Time.GetUtcNow() - operation.Started)})";
    }
}

using System;
using System.Management.Automation;
using M365.Core.Http;
using M365.PowerShell.Infrastructure;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Sets the retry budget and timeouts of every service request, for the session or for one connection.</para>
/// <para type="description">What Set-MgRequestContext -MaxRetry -RetryDelay -ClientTimeout gives Graph users: the values go into the one retry pipeline every service cmdlet uses. Without -Connection, for the session (its connections and those made later); with it, for that connection only, over the session's.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "M365RequestSetting", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = SetSet)]
[OutputType(typeof(M365RequestSetting))]
public sealed class SetM365RequestSettingCommand : M365Cmdlet
{
    public const string SetSet = "Set";
    public const string ResetSet = "Reset";

    /// <summary>The connection (object or name) whose own settings to set; without it, the session's.</summary>
    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    [ConnectionTransformation]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public M365Connection? Connection { get; set; }

    /// <summary>Retries after the first attempt of a throttled (429) or failed (503, 504, network) request, 0 to 10. Default 3.</summary>
    [Parameter(ParameterSetName = SetSet)]
    [ValidateRange(0, HttpRetryOptions.MaxRetriesLimit)]
    public int? MaxRetry { get; set; }

    /// <summary>The first back-off delay in seconds when the service sends no Retry-After (it doubles, with jitter), 0 to 3600. Default 2.</summary>
    [Parameter(ParameterSetName = SetSet)]
    [ValidateRange(0.0, 3600.0)]
    public double? RetryDelay { get; set; }

    /// <summary>How long one attempt may take, in seconds (1 to 86399), before it times out and is retried. Default 100.</summary>
    [Parameter(ParameterSetName = SetSet)]
    [ValidateRange(1, 86399)]
    [Alias("ClientTimeout")]
    public int? RequestTimeout { get; set; }

    /// <summary>Removes the settings of this scope (the session's, or the connection's own), so the defaults (or the session's) apply again.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ResetSet)]
    public SwitchParameter Reset { get; set; }

    /// <summary>Writes the settings now in force for the scope.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var session = SessionConnections.ForCurrentRunspace();
        var connection = Connection is null ? null : RequestSettingScope.Resolve(this, Connection);
        var current = connection is null ? session.RequestSettings : connection.Core.RequestSettings;
        var changed = Reset
            ? RequestSettings.None
            : current.With(MaxRetry, RetryDelay is double delay ? TimeSpan.FromSeconds(delay) : null, RequestTimeout is int timeout ? TimeSpan.FromSeconds(timeout) : null);
        var scope = connection is null ? "the session" : $"connection '{connection.Name}'";
        if (!ShouldProcess(scope, Reset ? "Reset the request settings" : $"Set the request settings to {changed}"))
        {
            return;
        }

        if (connection is null)
        {
            session.RequestSettings = changed;
        }
        else
        {
            connection.Core.SetRequestSettings(changed);
        }

        if (PassThru)
        {
            WriteObject(connection is null ? M365RequestSetting.ForSession(changed) : M365RequestSetting.ForConnection(connection.Core));
        }
    }
}

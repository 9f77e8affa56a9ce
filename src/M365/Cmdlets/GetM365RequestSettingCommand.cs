using System.Management.Automation;
using M365.PowerShell.Infrastructure;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Shows the retry budget and timeouts service requests use: the session's, or a connection's.</para>
/// <para type="description">Without -Connection, the session's settings over the defaults (what a connection without its own uses); with it, what that connection's requests use now, and where each value comes from.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "M365RequestSetting")]
[OutputType(typeof(M365RequestSetting))]
public sealed class GetM365RequestSettingCommand : M365Cmdlet
{
    /// <summary>The connection (object or name) whose settings to show; without it, the session's.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    [ConnectionTransformation]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public M365Connection? Connection { get; set; }

    protected override void ProcessRecord()
    {
        if (Connection is null)
        {
            WriteObject(M365RequestSetting.ForSession(SessionConnections.ForCurrentRunspace().RequestSettings));
            return;
        }

        WriteObject(M365RequestSetting.ForConnection(RequestSettingScope.Resolve(this, Connection).Core));
    }
}

using System;
using System.Collections;
using System.Management.Automation;
using M365.Core.Diagnostics;
using M365.PowerShell.Infrastructure;
using M365.PowerShell.Models;

namespace M365.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Checks a connection and says what is wrong: one object per check (Check, Result, Evidence, Fix).</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "M365Connection")]
[OutputType(typeof(M365ConnectionCheck))]
public sealed class TestM365ConnectionCommand : M365ConnectedCmdlet
{
    /// <summary>The resources to check (names such as Graph or SharePoint, or URLs); default: every resource the connection has used.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ResourceCompleter))]
    public string[]? Resource { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolvedConnection;
        var options = new DiagnosticsOptions
        {
            ModuleVersion = MyInvocation.MyCommand.Module?.Version?.ToString() ?? typeof(TestM365ConnectionCommand).Assembly.GetName().Version?.ToString(),
            PowerShellVersion = PowerShellVersion(),
            Resources = Resource ?? Array.Empty<string>(),
            Sender = VerboseSender(connection),
        };
        DiagnosticsReport report;
        try
        {
            report = Await(ct => ConnectionDoctor.RunAsync(connection, options, ct));
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            WriteInputError(ex, Resource is null ? connection.Name : string.Join(",", Resource));
            return;
        }

        foreach (var error in report.Errors)
        {
            WriteInputError(error, error.Target);
        }

        foreach (var check in report.Checks)
        {
            WriteObject(new M365ConnectionCheck(check, connection.Name));
        }
    }

    private string PowerShellVersion()
    {
        if (SessionState.PSVariable.GetValue("PSVersionTable") is Hashtable table)
        {
            return $"{table["PSVersion"]} ({table["PSEdition"] ?? "Desktop"})";
        }

        return Host.Version.ToString();
    }
}

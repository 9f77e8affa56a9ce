using System.Management.Automation;
using M365.PowerShell.Models;

namespace M365.PowerShell.Infrastructure;

/// <summary>The connection a request-setting cmdlet's -Connection names; a name of no connection, or a copied one, ends the call.</summary>
internal static class RequestSettingScope
{
    public static M365Connection Resolve(PSCmdlet cmdlet, M365Connection bound)
    {
        if (bound.Problem == ConnectionBindingProblem.None)
        {
            return bound;
        }

        var session = SessionConnections.ForCurrentRunspace();
        cmdlet.ThrowTerminatingError(bound.Problem == ConnectionBindingProblem.NameNotFound
            ? ErrorRecords.Create(
                ErrorIds.ConnectionNameNotFound,
                ErrorCategory.ObjectNotFound,
                bound.BoundText,
                $"This session has no connection named '{bound.BoundText}'." + (session.All.Count == 0 ? " It has none: run Connect-M365 first." : $" Open connections: {session.OpenNames}."),
                "Pass -Connection with one of the open names (Get-M365Connection -All lists them), or leave -Connection out to set the session's.")
            : ErrorRecords.Create(
                ErrorIds.ConnectionDeserialized,
                ErrorCategory.InvalidArgument,
                bound.BoundText,
                $"The connection '{bound.BoundText}' was copied into another process, which keeps its name but not the connection itself.",
                "Set the request settings in the process that made the connection, or run Connect-M365 here."));
        return bound;
    }
}

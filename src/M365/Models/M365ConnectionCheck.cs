using M365.Core.Diagnostics;

namespace M365.PowerShell.Models;

/// <summary>The outcome of one check of Test-M365Connection.</summary>
public enum M365CheckResult
{
    Pass,
    Warning,
    Fail,
}

/// <summary>One check of Test-M365Connection: its name, result, what was seen and what to do. Never a token.</summary>
public sealed class M365ConnectionCheck
{
    internal M365ConnectionCheck(ConnectionCheck check, string connection)
    {
        Check = check.Check;
        Result = (M365CheckResult)(int)check.Result;
        Evidence = check.Evidence;
        Fix = check.Fix;
        Resource = check.Resource;
        Connection = connection;
    }

    /// <summary>The check's name (AppId, Token, Permission:Get-M365AadSp, Consent, …).</summary>
    public string Check { get; }

    /// <summary>Pass, Warning or Fail.</summary>
    public M365CheckResult Result { get; }

    /// <summary>What was seen.</summary>
    public string Evidence { get; }

    /// <summary>What to do; empty when there is nothing to do.</summary>
    public string? Fix { get; }

    /// <summary>The resource the check is about (Graph, SharePoint, …), or empty.</summary>
    public string? Resource { get; }

    /// <summary>The name of the connection checked.</summary>
    public string Connection { get; }

    public override string ToString() => $"{Check}: {Result}";
}

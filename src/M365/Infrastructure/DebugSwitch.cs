using System;
using System.Management.Automation;
using System.Reflection;

namespace M365.PowerShell.Infrastructure;

/// <summary>
/// Makes <c>-Debug</c> show lines instead of asking "Continue with this operation?". PowerShell 7.6's engine still turns
/// <c>-Debug</c> into Inquire for a compiled cmdlet's verbose and warning streams (the command runtime's
/// VerbosePreference and WarningPreference return Inquire when the Debug flag is set), a leftover of Windows PowerShell 5.1,
/// where <c>-Debug</c> also makes the debug stream and errors Inquire. So every verbose line, warning and, on 5.1, debug
/// line and error stopped to prompt, and failed in a non-interactive session. PowerShell offers no public way to set a
/// cmdlet's own stream preferences; these are the runtime's internal members that the common parameters set themselves
/// (-Verbose sets its Verbose flag, -WarningAction its WarningPreference, -ErrorAction its ErrorAction). Only a
/// preference that is Inquire because of -Debug changes: an Inquire the caller chose (a common parameter, or the
/// session's preference variable) stays.
/// </summary>
internal static class DebugSwitch
{
    private const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    /// <summary>True when the cmdlet was called with <c>-Debug</c> (not <c>-Debug:$false</c>).</summary>
    public static bool IsOn(PSCmdlet cmdlet) =>
        cmdlet.MyInvocation.BoundParameters.TryGetValue("Debug", out var value) && IsTrue(value);

    /// <summary>True when a WriteDebug line of this cmdlet would be shown or recorded: -Debug, or $DebugPreference not silent.</summary>
    public static bool Wanted(PSCmdlet cmdlet)
    {
        if (cmdlet.MyInvocation.BoundParameters.TryGetValue("Debug", out var value))
        {
            return IsTrue(value);
        }

        return Preference(cmdlet.GetVariableValue("DebugPreference")) is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore or null);
    }

    /// <summary>With <c>-Debug</c>, turns the Inquire it implies into showing (debug, verbose) or the session's own preference (warnings, errors).</summary>
    public static void NoInquire(PSCmdlet cmdlet)
    {
        if (!IsOn(cmdlet))
        {
            return;
        }

        object runtime = cmdlet.CommandRuntime;
        var bound = cmdlet.MyInvocation.BoundParameters;

        // Windows PowerShell 5.1: -Debug makes the debug stream itself Inquire; what -Debug asks for is to see it.
        Fix(runtime, "DebugPreference", "DebugPreference", ActionPreference.Continue);

        // The verbose preference has no setter in PowerShell 7.6; the Verbose flag is what -Verbose sets, and -Debug implies it.
        if (!bound.ContainsKey("Verbose") && Read(runtime, "VerbosePreference") == ActionPreference.Inquire)
        {
            Write(runtime, "Verbose", true);
        }

        if (!bound.ContainsKey("WarningAction"))
        {
            Fix(runtime, "WarningPreference", "WarningPreference", Session(cmdlet, "WarningPreference"));
        }

        if (!bound.ContainsKey("ErrorAction"))
        {
            Fix(runtime, "ErrorAction", "ErrorAction", Session(cmdlet, "ErrorActionPreference"));
        }
    }

    private static bool IsTrue(object? value) => value is SwitchParameter flag ? flag.IsPresent : LanguagePrimitives.IsTrue(value);

    /// <summary>The session's own preference, unless that is Inquire too (then Continue: the Inquire came from -Debug).</summary>
    private static ActionPreference Session(PSCmdlet cmdlet, string variable) =>
        Preference(cmdlet.GetVariableValue(variable)) is { } chosen && chosen != ActionPreference.Inquire ? chosen : ActionPreference.Continue;

    private static void Fix(object runtime, string read, string write, ActionPreference value)
    {
        if (Read(runtime, read) == ActionPreference.Inquire)
        {
            Write(runtime, write, value);
        }
    }

    private static ActionPreference? Read(object runtime, string property) =>
        runtime.GetType().GetProperty(property, Internal) is { CanRead: true } info && info.PropertyType == typeof(ActionPreference)
            ? (ActionPreference)info.GetValue(runtime)!
            : null;

    private static void Write(object runtime, string property, object value)
    {
        // A runtime without the member keeps its own behaviour; the Pester test of -Debug names the version that changed it.
        if (runtime.GetType().GetProperty(property, Internal) is not { CanWrite: true } info)
        {
            return;
        }

        if (value is bool flag && info.PropertyType == typeof(SwitchParameter))
        {
            value = new SwitchParameter(flag);
        }

        if (info.PropertyType.IsInstanceOfType(value))
        {
            info.SetValue(runtime, value);
        }
    }

    private static ActionPreference? Preference(object? value)
    {
        if (value is PSObject wrapped)
        {
            value = wrapped.BaseObject;
        }

        return value switch
        {
            ActionPreference preference => preference,
            string text when Enum.TryParse(text, true, out ActionPreference parsed) => parsed,
            _ => null,
        };
    }
}

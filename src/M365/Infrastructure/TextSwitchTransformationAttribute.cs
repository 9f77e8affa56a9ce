using System;
using System.Management.Automation;

namespace M365.PowerShell.Infrastructure;

/// <summary>
/// Lets a switch take the text a CSV file holds (Import-Csv gives every column as a string): "True", "False", "yes",
/// "no", "1", "0", or an empty cell (off). PowerShell alone refuses every string for a switch.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TextSwitchTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is not string text)
        {
            return inputData;
        }

        try
        {
            return new SwitchParameter(TextSwitch.Parse(text));
        }
        catch (FormatException ex)
        {
            throw new ArgumentTransformationMetadataException(ex.Message, ex);
        }
    }
}

/// <summary>The yes-or-no words a CSV cell may hold for a switch.</summary>
public static class TextSwitch
{
    /// <summary>True, yes, 1 (on); False, no, 0 or empty (off); anything else is a <see cref="FormatException"/>.</summary>
    public static bool Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "" or "false" or "no" or "0" or "$false" => false,
        "true" or "yes" or "1" or "$true" => true,
        _ => throw new FormatException($"'{text}' is not a yes or no value. Use True or False (or yes/no, 1/0), or leave the cell empty for no."),
    };
}

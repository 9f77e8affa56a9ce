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

        switch (text.Trim().ToLowerInvariant())
        {
            case "":
            case "false":
            case "no":
            case "0":
            case "$false":
                return new SwitchParameter(false);
            case "true":
            case "yes":
            case "1":
            case "$true":
                return new SwitchParameter(true);
            default:
                throw new ArgumentTransformationMetadataException($"'{text}' is not a yes or no value. Use True or False (or yes/no, 1/0), or leave the cell empty for no.");
        }
    }
}

using System;
using System.Management.Automation;
using M365.Core;

namespace M365.PowerShell.Infrastructure;

/// <summary>Refuses a TimeSpan argument outside [min, max] seconds at parameter binding (ValidateRange takes numbers only).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateTimeSpanRangeAttribute : ValidateArgumentsAttribute
{
    public ValidateTimeSpanRangeAttribute(double minSeconds, double maxSeconds)
    {
        Min = TimeSpan.FromSeconds(minSeconds);
        Max = TimeSpan.FromSeconds(maxSeconds);
    }

    public TimeSpan Min { get; }

    public TimeSpan Max { get; }

    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = arguments switch
        {
            TimeSpan span => span,
            PSObject { BaseObject: TimeSpan span } => span,
            _ => throw new ValidationMetadataException($"'{arguments}' is not a time span."),
        };

        if (value < Min || value > Max)
        {
            throw new ValidationMetadataException(
                $"{value} is outside the allowed range: from {Durations.Describe(Min)} to {Durations.Describe(Max)}. For example: (New-TimeSpan -Minutes 5).");
        }
    }
}

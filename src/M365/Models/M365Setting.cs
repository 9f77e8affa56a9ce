using M365.Core.Settings;

namespace M365.PowerShell.Models;

/// <summary>The saved defaults of Connect-M365 (Get-M365Setting, Set-M365Setting): never a secret.</summary>
public sealed class M365Setting
{
    internal M365Setting(M365Settings settings, string path)
    {
        AppId = settings.AppId;
        Tenant = settings.Tenant;
        Environment = settings.Environment;
        Path = path;
    }

    /// <summary>The app (client) id Connect-M365 uses when neither -AppId nor CLIMICROSOFT365_AADAPPID/ENTRAAPPID names one; null when not set.</summary>
    public string? AppId { get; }

    /// <summary>The tenant Connect-M365 uses when neither -Tenant nor CLIMICROSOFT365_TENANT names one; null when not set.</summary>
    public string? Tenant { get; }

    /// <summary>The cloud Connect-M365 uses when -Environment is not given; null when not set (Public).</summary>
    public string? Environment { get; }

    /// <summary>The settings file.</summary>
    public string Path { get; }

    public override string ToString() => $"AppId={AppId ?? "(not set)"}; Tenant={Tenant ?? "(not set)"}; Environment={Environment ?? "(not set)"}";
}

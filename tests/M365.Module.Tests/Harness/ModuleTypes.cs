namespace M365.Module.Tests.Harness;

/// <summary>Full names of the module's output types.</summary>
internal static class ModuleTypes
{
    public const string Connection = "M365.PowerShell.Models.M365Connection";
    public const string AccessToken = "M365.PowerShell.Models.M365AccessTokenResult";
}

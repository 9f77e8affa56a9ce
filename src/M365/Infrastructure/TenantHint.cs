using System;

namespace M365.PowerShell.Infrastructure;

/// <summary>Guesses the SharePoint tenant name from the tenant's initial domain (contoso.onmicrosoft.com gives contoso).</summary>
internal static class TenantHint
{
    private const string InitialDomainSuffix = ".onmicrosoft.com";

    public static string? SharePointTenantFrom(string? tenant)
    {
        if (tenant is null || !tenant.EndsWith(InitialDomainSuffix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var name = tenant.Substring(0, tenant.Length - InitialDomainSuffix.Length);
        return name.Length > 0 && name.IndexOf('.') < 0 ? name : null;
    }
}

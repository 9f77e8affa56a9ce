using System;
using System.Linq;
using System.Management.Automation;
using M365.Core.Authentication;
using M365.Core.Clouds;
using M365.PowerShell.Infrastructure;

namespace M365.PowerShell.Cmdlets.SignIn;

/// <summary>The checks of -Environment and -Tenant that every sign-in method shares, made before anything else.</summary>
internal static class ConnectArguments
{
    private const string TenantVariable = "CLIMICROSOFT365_TENANT";

    /// <summary>The cloud -Environment names; stops the command when it names none.</summary>
    public static CloudEnvironment Cloud(Cmdlet command, string environment)
    {
        if (CloudEnvironment.TryGet(environment, out var cloud))
        {
            return cloud!;
        }

        command.ThrowTerminatingError(ErrorRecords.Create(
            ErrorIds.EnvironmentNotFound,
            ErrorCategory.InvalidArgument,
            environment,
            $"'{environment}' is not a Microsoft cloud M365 knows.",
            "Use one of: " + string.Join(", ", CloudEnvironment.All.Select(c => c.Name)) + "."));
        throw new InvalidOperationException();
    }

    /// <summary>Stops the command when -Tenant is a bare name ("contoso"), which Entra ID would answer with AADSTS90002.</summary>
    public static void CheckTenant(Cmdlet command, string? tenant)
    {
        if (tenant is not null && LooksLikeABareTenantName(tenant))
        {
            command.ThrowTerminatingError(ErrorRecords.Create(
                AuthenticationErrorIds.TenantNotFound,
                ErrorCategory.ObjectNotFound,
                tenant,
                $"'{tenant}' is not a tenant: -Tenant takes the tenant's domain or its id.",
                $"Did you mean -Tenant {tenant.Trim()}.onmicrosoft.com?"));
        }
    }

    /// <summary>-Tenant, else $env:CLIMICROSOFT365_TENANT, else null.</summary>
    public static string? Tenant(string? given) =>
        given ?? NonEmpty(Environment.GetEnvironmentVariable(TenantVariable));

    /// <summary>"contoso": neither a domain, nor an id, nor one of Entra ID's tenant aliases.</summary>
    private static bool LooksLikeABareTenantName(string tenant)
    {
        var value = tenant.Trim();
        return value.IndexOf('.') < 0 && !Guid.TryParse(value, out _)
            && !string.Equals(value, "common", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(value, "organizations", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(value, "consumers", StringComparison.OrdinalIgnoreCase);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
}

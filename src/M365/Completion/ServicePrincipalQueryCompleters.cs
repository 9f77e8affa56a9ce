using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace M365.PowerShell.Infrastructure;

/// <summary>Completes Get-M365AadSp -Sort with the properties Graph sorts service principals by, each ascending or descending.</summary>
public sealed class ServicePrincipalSortCompleter : IArgumentCompleter
{
    // Graph sorts service principals by displayName (with a filter or search, as an advanced query, which the cmdlet sends then).
    private static readonly string[] Names = { "displayName", "displayName desc" };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(Names, wordToComplete.Trim('\'', '"'));
}

/// <summary>Completes Get-M365AadSp -ExpandProperty with the navigation properties of a Graph v1.0 servicePrincipal.</summary>
public sealed class ServicePrincipalExpandCompleter : IArgumentCompleter
{
    private static readonly string[] Names =
    {
        "appRoleAssignedTo", "appRoleAssignments", "owners", "memberOf", "oauth2PermissionGrants", "createdObjects",
        "ownedObjects", "transitiveMemberOf", "claimsMappingPolicies", "homeRealmDiscoveryPolicies", "tokenIssuancePolicies",
        "tokenLifetimePolicies", "delegatedPermissionClassifications", "federatedIdentityCredentials",
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(Names, wordToComplete);
}

using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace M365.PowerShell.Infrastructure;

/// <summary>Completes Get-M365AadSp -Property with the service principal properties Graph v1.0 can $select.</summary>
public sealed class ServicePrincipalPropertyCompleter : IArgumentCompleter
{
    // Graph v1.0's servicePrincipal properties, the ones the module models first. Relationships (owners, memberOf,
    // appRoleAssignedTo, …) need $expand and beta-only ones (createdDateTime) are refused by v1.0, so neither is offered.
    private static readonly string[] Names =
    {
        "id", "appId", "displayName", "appDisplayName", "servicePrincipalType", "accountEnabled",
        "appOwnerOrganizationId", "signInAudience", "servicePrincipalNames", "tags", "appRoles",
        "oauth2PermissionScopes", "addIns", "alternativeNames", "appDescription", "applicationTemplateId",
        "appRoleAssignmentRequired", "deletedDateTime", "description", "disabledByMicrosoftStatus", "homepage",
        "info", "keyCredentials", "loginUrl", "logoutUrl", "notes", "notificationEmailAddresses",
        "passwordCredentials", "preferredSingleSignOnMode", "preferredTokenSigningKeyThumbprint", "replyUrls",
        "resourceSpecificApplicationPermissions", "samlSingleSignOnSettings", "tokenEncryptionKeyId",
        "verifiedPublisher",
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(Names, wordToComplete);
}

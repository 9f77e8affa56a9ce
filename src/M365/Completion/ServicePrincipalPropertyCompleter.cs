using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace M365.PowerShell.Infrastructure;

/// <summary>Completes Get-M365AadSp -Property with the service principal properties Graph v1.0 can $select.</summary>
public sealed class ServicePrincipalPropertyCompleter : IArgumentCompleter
{
    private static readonly string[] Names =
    {
        "id", "appId", "displayName", "appDisplayName", "servicePrincipalType", "accountEnabled", "appOwnerOrganizationId",
        "signInAudience", "servicePrincipalNames", "tags", "appRoles", "oauth2PermissionScopes", "appDescription",
        "alternativeNames", "appRoleAssignmentRequired", "description", "homepage", "info", "keyCredentials", "loginUrl",
        "logoutUrl", "notes", "notificationEmailAddresses", "passwordCredentials", "preferredSingleSignOnMode", "replyUrls",
        "resourceSpecificApplicationPermissions", "verifiedPublisher", "deletedDateTime", "disabledByMicrosoftStatus",
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(Names, wordToComplete);
}

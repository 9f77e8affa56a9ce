using System;
using System.Management.Automation;
using M365.Core;
using M365.Core.Authentication;
using M365.Core.Authentication.Persistence;
using M365.Core.Http;
using M365.Core.Resources;
using M365.Core.Services;

namespace M365.PowerShell.Infrastructure;

/// <summary>Turns exceptions into error records that keep their stable id, a real category and the failing input.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(Exception exception, object? target)
    {
        switch (exception)
        {
            case M365Exception m365:
                var record = new ErrorRecord(m365, m365.ErrorId, CategoryOf(m365.ErrorId), target ?? m365.Target);
                var details = DetailsOf(m365);
                if (!string.IsNullOrEmpty(m365.RecommendedAction) || !ReferenceEquals(details, m365.Message))
                {
                    record.ErrorDetails = new ErrorDetails(details) { RecommendedAction = m365.RecommendedAction };
                }

                return record;
            case OperationCanceledException cancelled:
                return new ErrorRecord(cancelled, ErrorIds.OperationCancelled, ErrorCategory.OperationStopped, target);
            default:
                return new ErrorRecord(exception, exception.GetType().Name, ErrorCategory.NotSpecified, target);
        }
    }

    public static ErrorRecord Create(string errorId, ErrorCategory category, object? target, string message, string? recommendedAction = null)
    {
        var record = new ErrorRecord(new PSInvalidOperationException(message), errorId, category, target);
        if (recommendedAction is not null)
        {
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
        }

        return record;
    }

    /// <summary>The message, with the service's request id (for a support case) when the message does not carry it yet.</summary>
    private static string DetailsOf(M365Exception exception) =>
        exception is M365ServiceException { RequestId: { Length: > 0 } requestId } && exception.Message.IndexOf(requestId, StringComparison.OrdinalIgnoreCase) < 0
            ? exception.Message + " Request id: " + requestId + "."
            : exception.Message;

    private static ErrorCategory CategoryOf(string errorId) => errorId switch
    {
        ServiceErrorIds.ServicePrincipalNotFound => ErrorCategory.ObjectNotFound,
        ServiceErrorIds.SiteAlreadyExists => ErrorCategory.ResourceExists,
        ServiceErrorIds.TeamSiteRequiresDelegatedAuth => ErrorCategory.InvalidOperation,
        ServiceErrorIds.SiteParameterInvalid => ErrorCategory.InvalidArgument,
        ServiceErrorIds.SiteCreationFailed => ErrorCategory.InvalidResult,
        ServiceErrorIds.SiteCreationTimedOut => ErrorCategory.OperationTimeout,
        ServiceErrorIds.SiteResponseInvalid => ErrorCategory.InvalidResult,
        ServiceErrorIds.UnknownResource => ErrorCategory.InvalidArgument,
        ServiceErrorIds.RequestUriInvalid => ErrorCategory.InvalidArgument,
        ServiceErrorIds.RequestHeaderInvalid => ErrorCategory.InvalidArgument,
        ServiceErrorIds.BatchResponseInvalid => ErrorCategory.InvalidResult,
        ErrorIds.RequestBodyInvalid => ErrorCategory.InvalidArgument,
        AuthenticationErrorIds.ReauthenticationRequired => ErrorCategory.AuthenticationError,
        AuthenticationErrorIds.AppNotFound => ErrorCategory.ObjectNotFound,
        AuthenticationErrorIds.PublicClientFlowsDisabled => ErrorCategory.InvalidOperation,
        AuthenticationErrorIds.ConsentRequired => ErrorCategory.PermissionDenied,
        AuthenticationErrorIds.MfaRequired => ErrorCategory.AuthenticationError,
        AuthenticationErrorIds.ConditionalAccessBlocked => ErrorCategory.PermissionDenied,
        AuthenticationErrorIds.InvalidClientSecret => ErrorCategory.AuthenticationError,
        AuthenticationErrorIds.InvalidClientCertificate => ErrorCategory.AuthenticationError,
        AuthenticationErrorIds.TenantNotFound => ErrorCategory.ObjectNotFound,
        AuthenticationErrorIds.DeviceCodeExpired => ErrorCategory.OperationTimeout,
        AuthenticationErrorIds.DeviceCodeDeclined => ErrorCategory.AuthenticationError,
        AuthenticationErrorIds.YammerRequiresDelegatedAuth => ErrorCategory.InvalidOperation,
        AuthenticationErrorIds.AccessTokenExpired => ErrorCategory.AuthenticationError,
        AuthenticationErrorIds.AccessTokenResourceMismatch => ErrorCategory.InvalidArgument,
        AuthenticationErrorIds.TokenCachePersistenceUnavailable => ErrorCategory.ResourceUnavailable,
        AuthenticationErrorIds.TokenCachePathInvalid => ErrorCategory.SecurityError,
        AuthenticationErrorIds.ManagedIdentityUnavailable => ErrorCategory.ResourceUnavailable,
        AuthenticationErrorIds.DeviceCodeCallbackMissing => ErrorCategory.InvalidOperation,
        AuthenticationErrorIds.SignInOptionsInvalid => ErrorCategory.InvalidArgument,
        AuthenticationErrorIds.SignInTimedOut => ErrorCategory.OperationTimeout,
        AuthenticationErrorIds.TokenRequestFailed => ErrorCategory.ConnectionError,
        AuthenticationErrorIds.ConnectionClosed => ErrorCategory.InvalidOperation,
        AuthenticationErrorIds.ClaimsChallengeFailed => ErrorCategory.AuthenticationError,
        AuthenticationErrorIds.InvalidCredentials => ErrorCategory.AuthenticationError,
        AuthenticationErrorIds.ResourceNotInTenant => ErrorCategory.ObjectNotFound,
        AuthenticationErrorIds.AuthorityUnreachable => ErrorCategory.ConnectionError,
        ResourceErrorIds.ResourceUrlNotHttps => ErrorCategory.SecurityError,
        ResourceErrorIds.ResourceNameUnknown => ErrorCategory.InvalidArgument,
        ResourceErrorIds.SharePointTenantUnknown => ErrorCategory.ObjectNotFound,
        ResourceErrorIds.SharePointTenantInvalid => ErrorCategory.InvalidArgument,
        ResourceErrorIds.ResourceNotInCloud => ErrorCategory.InvalidArgument,
        ResourceErrorIds.ResourceHostMismatch => ErrorCategory.SecurityError,
        PersistenceErrorIds.PersistedConnectionNotFound => ErrorCategory.ObjectNotFound,
        PersistenceErrorIds.PersistedConnectionInvalid => ErrorCategory.InvalidData,
        HttpErrorIds.RequestThrottled => ErrorCategory.LimitsExceeded,
        HttpErrorIds.ServiceUnavailable => ErrorCategory.ResourceUnavailable,
        HttpErrorIds.GatewayTimeout => ErrorCategory.OperationTimeout,
        HttpErrorIds.ResourceNotFound => ErrorCategory.ObjectNotFound,
        HttpErrorIds.AccessDenied => ErrorCategory.PermissionDenied,
        HttpErrorIds.Unauthorized => ErrorCategory.AuthenticationError,
        HttpErrorIds.BadRequest => ErrorCategory.InvalidArgument,
        HttpErrorIds.Conflict => ErrorCategory.ResourceExists,
        HttpErrorIds.ServiceError => ErrorCategory.InvalidResult,
        HttpErrorIds.ResponseNotJson => ErrorCategory.InvalidData,
        HttpErrorIds.ODataNextLinkLoop => ErrorCategory.InvalidData,
        HttpErrorIds.ODataNextLinkForeignHost => ErrorCategory.SecurityError,
        HttpErrorIds.ODataPageLimitExceeded => ErrorCategory.LimitsExceeded,
        HttpErrorIds.ODataPageInvalid => ErrorCategory.InvalidData,
        HttpErrorIds.RedirectToForeignHost => ErrorCategory.SecurityError,
        HttpErrorIds.RedirectNotFollowed => ErrorCategory.InvalidResult,
        HttpErrorIds.ServiceUnreachable => ErrorCategory.ConnectionError,
        HttpErrorIds.RequestTimedOut => ErrorCategory.OperationTimeout,
        TransportErrorIds.SandboxDescriptorNotFound => ErrorCategory.ObjectNotFound,
        TransportErrorIds.SandboxDescriptorInvalid => ErrorCategory.InvalidData,
        TransportErrorIds.InsecureRequestRefused => ErrorCategory.SecurityError,
        _ => ErrorCategory.NotSpecified,
    };
}

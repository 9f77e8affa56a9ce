using System;
using System.Management.Automation;
using M365.Core;
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
            ? Sentences.Join(exception.Message, "Request id: " + requestId)
            : exception.Message;

    private static ErrorCategory CategoryOf(string errorId) => ErrorCatalog.CategoryOf(errorId);
}

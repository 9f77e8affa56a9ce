using System;
using System.Globalization;
using System.Net.Http;
using System.Threading.Tasks;
using M365.Core.Authentication;
using Polly.Timeout;

namespace M365.Core.Http
{
    /// <summary>Turns failed answers and network failures into <see cref="M365HttpException"/>s that say what to do.</summary>
    internal static class HttpErrorFactory
    {
        public static async Task<M365HttpException> FromResponseAsync(HttpResponseMessage response, string method, string redactedUrl, int attempts)
        {
            byte[]? body = response.Content is null ? null : await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            return FromStatus((int)response.StatusCode, body, response.Content?.Headers.ContentType?.MediaType, RequestIdOf(response), method, redactedUrl, attempts);
        }

        /// <summary>The failure of one answer, given its parts (also used for the items of a Graph batch).</summary>
        public static M365HttpException FromStatus(int status, byte[]? body, string? mediaType, string? requestId, string method, string redactedUrl, int attempts)
        {
            (string? code, string? serviceMessage) = ServiceErrorReader.Read(body);
            (string errorId, string action) = Classify(status);
            string statusText = StatusText(status);

            string message = string.Format(
                CultureInfo.InvariantCulture,
                "{0} {1} failed with {2}{3}",
                method,
                redactedUrl,
                statusText,
                attempts > 1 ? " after " + attempts.ToString(CultureInfo.InvariantCulture) + " attempts" : string.Empty);

            // Graph's code is often the status restated ("BadRequest", "badRequest"): say the status once.
            string name = ((System.Net.HttpStatusCode)status).ToString();
            string? ownCode = code != null && !RestatesStatus(code, status, name) ? code : null;
            string? ownMessage = serviceMessage != null && !RestatesStatus(serviceMessage, status, name) ? serviceMessage : null;
            if (ownCode != null)
            {
                message += " (" + ownCode + ")";
            }

            if (ownMessage != null)
            {
                message += ": " + ownMessage;
            }
            else if (code == null && serviceMessage == null && mediaType != null && mediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) < 0)
            {
                message += " (the answer was " + mediaType + ", not a service error in JSON; a proxy or gateway may have answered)";
            }

            return new M365HttpException(
                errorId,
                Sentences.Join(message, requestId != null ? "Request id: " + requestId : null),
                action,
                method,
                redactedUrl,
                status,
                code,
                serviceMessage,
                attempts,
                requestId: requestId);
        }

        /// <summary>"404 NotFound", or "599" alone for a status .NET has no name for.</summary>
        internal static string StatusText(int status)
        {
            string number = status.ToString(CultureInfo.InvariantCulture);
            return Enum.IsDefined(typeof(System.Net.HttpStatusCode), status) ? number + " " + (System.Net.HttpStatusCode)status : number;
        }

        /// <summary>True when <paramref name="text"/> only restates the status, by number or name, in any case or spacing.</summary>
        internal static bool RestatesStatus(string text, int status, string statusName)
        {
            string plain = LettersAndDigits(text);
            return plain.Length == 0
                || plain == status.ToString(CultureInfo.InvariantCulture)
                || plain == LettersAndDigits(statusName)
                || plain == status.ToString(CultureInfo.InvariantCulture) + LettersAndDigits(statusName);
        }

        private static string LettersAndDigits(string text)
        {
            var plain = new System.Text.StringBuilder(text.Length);
            foreach (char c in text)
            {
                if (char.IsLetterOrDigit(c))
                {
                    plain.Append(char.ToLowerInvariant(c));
                }
            }

            return plain.ToString();
        }

        /// <summary>The service's request id: Graph's <c>request-id</c>, SharePoint's <c>SPRequestGuid</c>, or ARM's <c>x-ms-request-id</c>.</summary>
        public static string? RequestIdOf(HttpResponseMessage response)
        {
            foreach (string name in new[] { "request-id", "SPRequestGuid", "x-ms-request-id" })
            {
                if (response.Headers.TryGetValues(name, out var values))
                {
                    foreach (string value in values)
                    {
                        if (IsPlainId(value))
                        {
                            return value;
                        }
                    }
                }
            }

            return null;
        }

        /// <summary>True for a value that can safely go into a message: a short run of letters, digits and dashes (a GUID).</summary>
        public static bool IsPlainId(string? value)
        {
            if (string.IsNullOrEmpty(value) || value!.Length > 64)
            {
                return false;
            }

            foreach (char c in value)
            {
                if (!(char.IsLetterOrDigit(c) || c == '-'))
                {
                    return false;
                }
            }

            return true;
        }

        public static M365HttpException FromException(Exception exception, string method, string redactedUrl, int attempts)
        {
            bool timedOut = exception is TimeoutRejectedException || exception is OperationCanceledException;
            string reason = timedOut ? "timed out" : RetryClassifier.IsNameResolutionFailure(exception)
                ? "failed because the host name could not be resolved"
                : "failed because the service could not be reached (" + SecretRedactor.Redact(exception.Message) + ")";
            string message = string.Format(
                CultureInfo.InvariantCulture,
                "{0} {1} {2}{3}",
                method,
                redactedUrl,
                reason,
                attempts > 1 ? " after " + attempts.ToString(CultureInfo.InvariantCulture) + " attempts" : string.Empty);
            message = Sentences.End(message);
            return timedOut
                ? new M365HttpException(HttpErrorIds.RequestTimedOut, message, "Try again later: the service answered none of the attempts in time. For slow calls, allow each attempt longer: Set-M365RequestSetting -RequestTimeout 300.", method, redactedUrl, attempts: attempts, innerException: exception)
                : new M365HttpException(HttpErrorIds.ServiceUnreachable, message, "Check the network connection, proxy and the URL, then try again.", method, redactedUrl, attempts: attempts, innerException: exception);
        }

        public static M365HttpException NotJson(string method, string redactedUrl, int status, string? mediaType, string problem, Exception? inner = null) =>
            new M365HttpException(
                HttpErrorIds.ResponseNotJson,
                string.Format(CultureInfo.InvariantCulture, "{0} {1} answered {2} with {3} ({4}), not the JSON expected.", method, redactedUrl, status, problem, mediaType ?? "no content type"),
                "Try again later; a proxy or gateway may have answered instead of the service. If it persists, report the URL and time.",
                method,
                redactedUrl,
                status,
                innerException: inner);

        private static (string ErrorId, string Action) Classify(int status)
        {
            switch (status)
            {
                case 400: return (HttpErrorIds.BadRequest, "Check the parameters and values in the request.");
                case 401: return (HttpErrorIds.Unauthorized, "The service rejected a freshly refreshed token. Run Connect-M365 again; if it persists, check the app's permissions and admin consent.");
                case 403: return (HttpErrorIds.AccessDenied, "The signed-in user or app lacks the permission this request needs. Grant it (with admin consent) or connect with an account that has it.");
                case 404: return (HttpErrorIds.ResourceNotFound, "Check the id, name or URL.");
                case 409: return (HttpErrorIds.Conflict, "The object already exists or was changed meanwhile. Read its current state, then try again.");
                case 429: return (HttpErrorIds.RequestThrottled, "The service is throttling this tenant or app. Wait a few minutes, then run the command again with fewer requests in parallel (a lower ForEach-Object -ThrottleLimit), or give each request more retries: Set-M365RequestSetting -MaxRetry 8.");
                case 503: return (HttpErrorIds.ServiceUnavailable, "The service is busy or down. Try again in a few minutes, or retry longer: Set-M365RequestSetting -MaxRetry 8 -RetryDelay 5.");
                case 504: return (HttpErrorIds.GatewayTimeout, "The service did not answer in time. Try again later, or retry longer (Set-M365RequestSetting -MaxRetry 8); for a write, check first whether it already took effect.");
                default: return (HttpErrorIds.ServiceError, "Try again later. If it persists, report the error code, URL and time.");
            }
        }
    }
}

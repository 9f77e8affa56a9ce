using System.Collections.Generic;
using System.Text.Json;
using M365.Core.Http;

namespace M365.Core.Services.Graph
{
    /// <summary>The final answer to one request of a Graph batch, after any retries of that request alone.</summary>
    public sealed class GraphBatchResponse
    {
        internal GraphBatchResponse(GraphBatchRequest request, int index, int status, IReadOnlyDictionary<string, string> headers, JsonElement? body, M365HttpException? error, int attempts, bool isBatchFailure = false)
        {
            IsBatchFailure = isBatchFailure;
            Request = request;
            Index = index;
            Status = status;
            Headers = headers;
            Body = body;
            Error = error;
            Attempts = attempts;
        }

        /// <summary>The request this answers.</summary>
        public GraphBatchRequest Request { get; }

        /// <summary>The request's position in the caller's input.</summary>
        public int Index { get; }

        /// <summary>The HTTP status of the item (0 when the batch answer lacked it).</summary>
        public int Status { get; }

        /// <summary>The item's headers (Retry-After, Location, Content-Type, request-id, …).</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }

        /// <summary>The item's JSON body (a detached copy), or null.</summary>
        public JsonElement? Body { get; }

        /// <summary>
        /// The item's failure as the pipeline would report it for a direct call (same <see cref="HttpErrorIds"/>, Graph's
        /// message and request id), or null on success.
        /// </summary>
        public M365HttpException? Error { get; }

        /// <summary>
        /// True when the batch that carried this request failed as a whole after the pipeline's retries: <see cref="Error"/> is
        /// the batch's failure (shared by its other requests) and <see cref="Status"/> is 0.
        /// </summary>
        public bool IsBatchFailure { get; }

        /// <summary>True for a 2xx item.</summary>
        public bool IsSuccess => Error is null;

        /// <summary>How many batches carried this request (more than 1 when it was throttled and retried).</summary>
        public int Attempts { get; }
    }
}

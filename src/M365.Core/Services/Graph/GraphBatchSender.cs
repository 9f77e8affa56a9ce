using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Connections;
using M365.Core.Http;

namespace M365.Core.Services.Graph
{
    /// <summary>
    /// Sends Graph requests in JSON batches of up to 20 (<c>POST /v1.0/$batch</c>) through the connection's pipeline, a few
    /// batches at a time (see <see cref="GraphBatchStream"/>): a batch that fails as a whole is retried by the pipeline's
    /// usual rules, and if it still fails, that failure is the answer of each of its requests; inside a batch, items answered
    /// 429 or 503 (504 for reads) go out again with the next batches after their Retry-After (capped like the pipeline's
    /// delays), for at most the pipeline's retry count. Answers come back in input order. Thread-safe.
    /// </summary>
    public sealed class GraphBatchSender
    {
        /// <summary>Graph's limit of requests per batch.</summary>
        public const int MaxRequestsPerBatch = 20;

        /// <summary>How many batches one stream keeps in flight at once by default.</summary>
        internal const int DefaultMaxBatchesInFlight = 4;

        private readonly ResourceRequestSender _sender;
        private readonly string _versionUrl;

        /// <summary>Creates a sender for the connection's Graph.</summary>
        /// <param name="connection">The connection.</param>
        /// <param name="sender">The request sender (e.g. one that reports verbose lines); null for <see cref="Connection.Requests"/>.</param>
        /// <param name="version">The Graph version, v1.0 or beta.</param>
        public GraphBatchSender(Connection connection, ResourceRequestSender? sender = null, string version = "v1.0")
            : this(sender ?? NotNull(connection).Requests, NotNull(connection).Resources.Graph.Origin, version)
        {
        }

        internal GraphBatchSender(ResourceRequestSender sender, Uri graphOrigin, string version = "v1.0")
        {
            _sender = sender;
            _versionUrl = new Uri(graphOrigin, version + "/").AbsoluteUri;
            BatchUrl = new Uri(_versionUrl + "$batch");
        }

        /// <summary>How many batches a stream keeps in flight at once (at least 1).</summary>
        internal int MaxBatchesInFlight { get; set; } = DefaultMaxBatchesInFlight;

        internal Uri BatchUrl { get; }

        private static Connection NotNull(Connection connection) => connection ?? throw new ArgumentNullException(nameof(connection));

        /// <summary>Opens a stream that takes requests one by one and gives their answers back in input order.</summary>
        /// <param name="cancellationToken">Cancels every batch of the stream and any wait.</param>
        public GraphBatchStream Open(CancellationToken cancellationToken = default) =>
            new GraphBatchStream(this, _sender, Math.Max(1, MaxBatchesInFlight), cancellationToken);

        /// <summary>Sends every request and returns the answers in input order.</summary>
        /// <param name="requests">The requests.</param>
        /// <param name="cancellationToken">Cancels the batches and any wait.</param>
        /// <exception cref="M365Exception">Nothing could be sent (e.g. no token).</exception>
        public async Task<IReadOnlyList<GraphBatchResponse>> SendAsync(IReadOnlyList<GraphBatchRequest> requests, CancellationToken cancellationToken = default)
        {
            var answers = new List<GraphBatchResponse>(requests?.Count ?? 0);
            await foreach (GraphBatchResponse answer in SendAllAsync(requests ?? throw new ArgumentNullException(nameof(requests)), cancellationToken).ConfigureAwait(false))
            {
                answers.Add(answer);
            }

            return answers;
        }

        /// <summary>
        /// Streams the answers in input order, reading the input lazily, at most one stream window
        /// (<see cref="GraphBatchStream.Window"/>) ahead of the answers the consumer has taken.
        /// </summary>
        /// <param name="requests">The requests.</param>
        /// <param name="cancellationToken">Cancels the batches and any wait.</param>
        public async IAsyncEnumerable<GraphBatchResponse> SendAllAsync(IEnumerable<GraphBatchRequest> requests, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (requests is null)
            {
                throw new ArgumentNullException(nameof(requests));
            }

            using GraphBatchStream stream = Open(cancellationToken);
            IEnumerable<GraphBatchRequest> checkedRequests = requests.Select(r => r ?? throw new ArgumentException("A batch request is null.", nameof(requests)));
            await foreach (GraphBatchResponse answer in OrderedWindow.StreamAsync(stream, checkedRequests, cancellationToken).ConfigureAwait(false))
            {
                yield return answer;
            }
        }

        /// <summary>Sends one batch (the pipeline retries it as a whole) and reads each item's answer.</summary>
        internal async Task<GraphBatchOutcome[]> PostAsync(IReadOnlyList<GraphBatchItem> items, ResourceRequestSender sender, CancellationToken cancellationToken)
        {
            RequestKind kind = items.All(i => i.Request.Method == HttpMethod.Get) ? RequestKind.Read : RequestKind.CreatingWrite;
            using JsonDocument? answer = await sender.SendJsonAsync(HttpMethod.Post, BatchUrl, GraphBatchWire.Body(items), kind, cancellationToken).ConfigureAwait(false);
            return GraphBatchWire.Read(answer, items, _versionUrl, sender.Time.GetUtcNow());
        }
    }
}

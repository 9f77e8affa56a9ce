using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Http
{
    /// <summary>
    /// Reports the HTTP exchanges no <see cref="ResourceRequestSender"/> reports itself (MSAL's sign-in, discovery and token
    /// requests) to the -Debug sink of the command whose work sent them: the sink flows with that work's async calls, since
    /// MSAL shares the transport between commands and runspaces. Only the method, URL without secrets, status, time and ids
    /// are written (<see cref="ExchangeLog"/>), never a header value or a body: a token request's body holds secrets.
    /// </summary>
    public static class ExchangeTrace
    {
        /// <summary>Marks a request whose sender reports the exchange itself, so it is reported once.</summary>
        internal const string ReportedKey = "M365.ExchangeReported";

        private static readonly AsyncLocal<Action<string>?> s_sink = new AsyncLocal<Action<string>?>();

        internal static Action<string>? Sink => s_sink.Value;

        /// <summary>
        /// Sends the exchanges of the work started from now on in this async flow to <paramref name="sink"/>, until the
        /// returned scope is disposed. The sink runs on the request's thread.
        /// </summary>
        /// <param name="sink">Receives one line per exchange, or null for none.</param>
        public static IDisposable Use(Action<string>? sink)
        {
            Action<string>? previous = s_sink.Value;
            s_sink.Value = sink;
            return new Scope(previous);
        }

        private sealed class Scope : IDisposable
        {
            private readonly Action<string>? _previous;

            public Scope(Action<string>? previous) => _previous = previous;

            public void Dispose() => s_sink.Value = _previous;
        }
    }

    /// <summary>The transport's outermost handler: reports each exchange <see cref="ExchangeTrace"/> has a sink for.</summary>
    internal sealed class ExchangeTraceHandler : DelegatingHandler
    {
        private readonly TimeProvider _time;

        public ExchangeTraceHandler(HttpMessageHandler innerHandler, TimeProvider? time = null)
            : base(innerHandler)
        {
            _time = time ?? TimeProvider.System;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Action<string>? sink = ExchangeTrace.Sink;
            if (sink is null || request.Properties.ContainsKey(ExchangeTrace.ReportedKey))
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }

            string method = request.Method.Method;
            string url = RequestUrlRedactor.Redact(request.RequestUri);
            long started = _time.GetTimestamp();
            try
            {
                HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                sink(ExchangeLog.Answered(method, url, response, _time.GetElapsedTime(started), attempt: 0));
                return response;
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                sink(ExchangeLog.Failed(method, url, ex, _time.GetElapsedTime(started), attempt: 0));
                throw;
            }
        }
    }
}

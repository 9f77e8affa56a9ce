using System;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Authentication;
using M365.Core.Resources;
using Polly;

namespace M365.Core.Http
{
    /// <summary>
    /// One run of a request through a resource's resilience pipeline with one token: each attempt carries the token, reads
    /// the body within the size limit and reports itself to the verbose and debug sinks.
    /// </summary>
    internal sealed class AttemptSender
    {
        private readonly HttpClient _client;
        private readonly long _maxResponseBytes;
        private readonly TimeProvider _time;

        internal AttemptSender(HttpClient client, long maxResponseBytes, TimeProvider time)
        {
            _client = client;
            _maxResponseBytes = maxResponseBytes;
            _time = time;
        }

        /// <param name="first">The request already made for the first attempt, or null to have the factory make every one.</param>
        internal async Task<HttpResponseMessage> ExecuteAsync(
            ResiliencePipeline<HttpResponseMessage> pipeline,
            HttpRequestMessage? first,
            Func<HttpRequestMessage> requestFactory,
            M365Resource resource,
            AccessToken token,
            RequestAttemptState state,
            CancellationToken cancellationToken)
        {
            HttpRequestMessage? pending = first;
            ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
            context.Properties.Set(RequestAttemptState.Key, state);
            try
            {
                return await pipeline.ExecuteAsync(
                    async ctx => await SendOnceAsync(Interlocked.Exchange(ref pending, null) ?? CreateFor(requestFactory, resource), token, state, cancellationToken, ctx.CancellationToken).ConfigureAwait(false),
                    context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && state.LastFailure() is M365HttpException last)
            {
                // Cancelled (Ctrl+C, a cmdlet's -Timeout) while retrying: say why it was retrying, e.g. a refused connection,
                // instead of a bare "The operation was canceled". The last failure is the inner exception.
                throw new OperationCanceledException(state.Method + " " + state.RedactedUrl + " was cancelled while retrying. " + last.Message, last, cancellationToken);
            }
            catch (Exception ex) when (!(ex is M365Exception) && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested) && IsNetworkFailure(ex))
            {
                throw HttpErrorFactory.FromException(ex, state.Method, state.RedactedUrl, state.Attempts);
            }
            finally
            {
                pending?.Dispose();
                ResilienceContextPool.Shared.Return(context);
            }
        }

        private async ValueTask<HttpResponseMessage> SendOnceAsync(
            HttpRequestMessage request,
            AccessToken token,
            RequestAttemptState state,
            CancellationToken cancellationToken,
            CancellationToken attemptToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
            request.Properties[ExchangeTrace.ReportedKey] = true;
            int attempt = ++state.Attempts;
            long started = _time.GetTimestamp();
            try
            {
                // Headers first, then the body with a bound: HttpClient's ResponseContentRead would buffer any length.
                HttpResponseMessage response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptToken).ConfigureAwait(false);
                if (state.Debug != null)
                {
                    state.Trace(ExchangeLog.Answered(state.Method, state.RedactedUrl, response, _time.GetElapsedTime(started), attempt));
                }

                state.Log(string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} {3} (attempt {4}).", state.Method, state.RedactedUrl, (int)response.StatusCode, response.StatusCode, attempt));
                try
                {
                    if (!(state.StreamsSuccessBody && response.IsSuccessStatusCode))
                    {
                        await ResponseBodyBuffer.BufferAsync(response, _maxResponseBytes, state.Method, state.RedactedUrl, attemptToken).ConfigureAwait(false);
                    }
                }
                catch
                {
                    response.Dispose();
                    throw;
                }

                if (!response.IsSuccessStatusCode)
                {
                    state.LastException = null;
                    state.LastStatus = ((int)response.StatusCode, HttpErrorFactory.RequestIdOf(response));
                }

                return response;
            }
            catch (Exception ex) when (!(ex is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                if (state.Debug != null)
                {
                    state.Trace(ExchangeLog.Failed(state.Method, state.RedactedUrl, ex, _time.GetElapsedTime(started), attempt));
                }

                state.Log(string.Format(CultureInfo.InvariantCulture, "{0} {1} failed: {2} (attempt {3}).", state.Method, state.RedactedUrl, SecretRedactor.Redact(ex.Message), attempt));
                state.LastException = ex;
                state.LastStatus = null;
                request.Dispose();
                throw;
            }
        }

        private static bool IsNetworkFailure(Exception ex) =>
            ex is HttpRequestException || ex is Polly.Timeout.TimeoutRejectedException || ex is OperationCanceledException || ex is System.IO.IOException;

        private static HttpRequestMessage CreateFor(Func<HttpRequestMessage> requestFactory, M365Resource resource)
        {
            HttpRequestMessage request = requestFactory() ?? throw new InvalidOperationException("The request factory returned null.");
            if (request.RequestUri is null || !resource.Covers(request.RequestUri))
            {
                request.Dispose();
                throw new InvalidOperationException("The request factory must target the same resource on every call; the token is not sent elsewhere.");
            }

            return request;
        }
    }
}

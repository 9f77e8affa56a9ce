using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Clouds;

namespace M365.Core.Registration
{
    /// <summary>
    /// Waits until Entra ID knows a new app (it answers AADSTS700016 until the app has replicated). The probe starts a
    /// device-code sign-in for the app and abandons it: the answer says whether the app exists, and nobody is asked to
    /// sign in and no token is issued. Bounded by a timeout, cancellable, with progress.
    /// </summary>
    internal sealed class ReplicationWait
    {
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
        private readonly HttpClient _client;
        private readonly TimeProvider _time;

        public ReplicationWait(HttpClient client, TimeProvider time)
        {
            _client = client;
            _time = time;
        }

        /// <exception cref="M365Exception"><see cref="RegistrationErrorIds.AppReplicationTimedOut"/>.</exception>
        public async Task WaitAsync(CloudEnvironment cloud, string tenant, string appId, string scope, TimeSpan timeout, Action<string>? progress, CancellationToken ct)
        {
            var start = _time.GetTimestamp();
            var url = new Uri(cloud.AuthorityOrigin, Uri.EscapeDataString(tenant) + "/oauth2/v2.0/devicecode");
            string last = "no answer yet";
            for (int attempt = 1; ; attempt++)
            {
                last = await ProbeAsync(url, appId, scope, ct).ConfigureAwait(false) ?? string.Empty;
                if (last.Length == 0)
                {
                    return;
                }

                var elapsed = _time.GetElapsedTime(start);
                if (elapsed + Interval > timeout)
                {
                    throw new M365Exception(
                        RegistrationErrorIds.AppReplicationTimedOut,
                        $"The app {appId} was registered, but Entra ID still did not know it after {Durations.Describe(elapsed)} ({last}).",
                        "Wait a few minutes and run Connect-M365 -AppId " + appId + ", or run Register-M365App again with a longer -Timeout.",
                        appId);
                }

                progress?.Invoke($"Waiting for Entra ID to replicate the new app (attempt {attempt}, {Durations.Describe(elapsed)} so far): {last}");
                await _time.Delay(Interval, ct).ConfigureAwait(false);
            }
        }

        /// <summary>Null when the app answered; else why not (AADSTS700016, or a network failure, which is retried too).</summary>
        private async Task<string?> ProbeAsync(Uri url, string appId, string scope, CancellationToken ct)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new FormUrlEncodedContent(new[] { new KeyValuePair<string, string>("client_id", appId), new KeyValuePair<string, string>("scope", scope) }),
            };
            try
            {
                using var response = await _client.SendAsync(request, ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return null;
                }

                string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                // Only "the app is unknown" means not yet replicated; any other refusal (a scope, a policy) is Entra ID knowing the app.
                return body.IndexOf("AADSTS700016", StringComparison.Ordinal) >= 0 ? "AADSTS700016, the app is not known yet" : null;
            }
            catch (HttpRequestException ex)
            {
                return "the sign-in service could not be reached: " + ex.Message;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return "the sign-in service did not answer in time";
            }
        }
    }
}

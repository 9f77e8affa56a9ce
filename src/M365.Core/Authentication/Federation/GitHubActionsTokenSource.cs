using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Authentication.Federation
{
    /// <summary>
    /// A GitHub Actions job's OIDC token: <c>GET {ACTIONS_ID_TOKEN_REQUEST_URL}&amp;audience=api%3A%2F%2FAzureADTokenExchange</c>
    /// with the request token as bearer, answered with <c>{"value": jwt}</c>. The runner's tokens live minutes, so one is asked
    /// for whenever the assertion provider needs one.
    /// </summary>
    internal sealed class GitHubActionsTokenSource : IFederatedTokenSource
    {
        public const string RequestUrlVariable = "ACTIONS_ID_TOKEN_REQUEST_URL";
        public const string RequestTokenVariable = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
        public const string MarkerVariable = "GITHUB_ACTIONS";

        private readonly Uri _url;
        private readonly string _requestToken;
        private readonly HttpClient _client;

        public GitHubActionsTokenSource(Uri requestUrl, string requestToken, HttpClient client)
        {
            _url = WithAudience(requestUrl);
            _requestToken = requestToken;
            _client = client;
        }

        public string Name => "GitHub Actions";

        public bool CanRenew => true;

        internal Uri RequestUrl => _url;

        public Task<string> GetTokenAsync(CancellationToken cancellationToken)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, _url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _requestToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return FederatedTokenResponse.SendAsync(
                _client,
                request,
                "value",
                Name,
                "Check that the job has `permissions: id-token: write` and that the step runs in the job that set ACTIONS_ID_TOKEN_REQUEST_URL.",
                cancellationToken);
        }

        // The runner's URL already has a query (?api-version=2.0); the audience is the one Entra ID's token exchange expects.
        private static Uri WithAudience(Uri url)
        {
            string text = url.AbsoluteUri;
            string separator = url.Query.Length > 1 ? "&" : "?";
            return new Uri(text + separator + "audience=" + Uri.EscapeDataString(FederatedSetup.TokenExchangeAudience));
        }
    }
}

using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Authentication.Federation
{
    /// <summary>
    /// An Azure DevOps job's OIDC token for a service connection: <c>POST {SYSTEM_OIDCREQUESTURI}?api-version=7.1&amp;serviceConnectionId={id}</c>
    /// with the job's access token as bearer, answered with <c>{"oidcToken": jwt}</c>.
    /// </summary>
    internal sealed class AzureDevOpsTokenSource : IFederatedTokenSource
    {
        public const string RequestUriVariable = "SYSTEM_OIDCREQUESTURI";
        public const string AccessTokenVariable = "SYSTEM_ACCESSTOKEN";
        public const string ServiceConnectionVariable = "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID";
        public const string ClientIdVariable = "AZURESUBSCRIPTION_CLIENT_ID";
        public const string TenantIdVariable = "AZURESUBSCRIPTION_TENANT_ID";
        public const string MarkerVariable = "TF_BUILD";

        private readonly Uri _url;
        private readonly string _accessToken;
        private readonly HttpClient _client;

        public AzureDevOpsTokenSource(Uri requestUri, string accessToken, string serviceConnectionId, HttpClient client)
        {
            string separator = requestUri.Query.Length > 1 ? "&" : "?";
            _url = new Uri(requestUri.AbsoluteUri + separator + "api-version=7.1&serviceConnectionId=" + Uri.EscapeDataString(serviceConnectionId));
            _accessToken = accessToken;
            _client = client;
        }

        public string Name => "Azure DevOps";

        public bool CanRenew => true;

        internal Uri RequestUrl => _url;

        public Task<string> GetTokenAsync(CancellationToken cancellationToken)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, _url)
            {
                Content = new StringContent(string.Empty, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _accessToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return FederatedTokenResponse.SendAsync(
                _client,
                request,
                "oidcToken",
                Name,
                "Check the service connection id (-ServiceConnectionId or AZURESUBSCRIPTION_SERVICE_CONNECTION_ID): it must be a workload identity federation connection this pipeline may use, and SYSTEM_ACCESSTOKEN must be mapped (env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)).",
                cancellationToken);
        }
    }
}

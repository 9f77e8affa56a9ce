using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using M365.Core.Resources;

namespace M365.Core.Http
{
    /// <summary>The request factories behind a sender's JSON calls.</summary>
    internal static class JsonRequests
    {
        /// <summary>The body bytes, made once so a retry resends exactly the same body.</summary>
        internal static byte[]? Serialize(object? body) =>
            body is null ? null
            : body is string text ? Encoding.UTF8.GetBytes(text)
            : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType());

        internal static Func<HttpRequestMessage> Factory(HttpMethod method, Uri url, byte[]? bytes, ResourceKind kind)
        {
            string accept = AcceptFor(kind);
            return () =>
            {
                var request = new HttpRequestMessage(method, url);
                request.Headers.TryAddWithoutValidation("Accept", accept);
                if (bytes != null)
                {
                    request.Content = new ByteArrayContent(bytes);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                }

                return request;
            };
        }

        // SharePoint's REST API answers verbose OData metadata unless asked not to.
        private static string AcceptFor(ResourceKind kind) =>
            kind == ResourceKind.SharePoint || kind == ResourceKind.SharePointAdmin || kind == ResourceKind.SharePointMy
                ? "application/json;odata=nometadata"
                : "application/json";
    }
}

using System.Text.Json.Nodes;

namespace M365.Sandbox.Hosting;

/// <summary>Writes an error in the shape the service of the request's host uses, so clients parse it as they would the real one.</summary>
internal static class ServiceErrors
{
    public static Task WriteAsync(HttpContext context, int status, string code, string message, SandboxHostNames hosts)
    {
        var host = context.Request.Host.Host.ToLowerInvariant();
        var response = context.Response;
        response.StatusCode = status;
        if (host == SandboxHostNames.Login)
        {
            return Identity.AadErrors.WriteAsync(context, status, "invalid_request", 900144, message);
        }

        JsonObject body;
        if (host.EndsWith(".sharepoint.com", StringComparison.Ordinal))
        {
            body = new JsonObject
            {
                ["odata.error"] = new JsonObject
                {
                    ["code"] = code,
                    ["message"] = new JsonObject { ["lang"] = "en-US", ["value"] = message },
                },
            };
        }
        else
        {
            var error = new JsonObject { ["code"] = code, ["message"] = message };
            if (host == SandboxHostNames.Graph)
            {
                error["innerError"] = new JsonObject
                {
                    ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss"),
                    ["request-id"] = context.TraceIdentifier,
                    ["client-request-id"] = context.Request.Headers["client-request-id"].ToString() is { Length: > 0 } id ? id : context.TraceIdentifier,
                };
            }

            body = new JsonObject { ["error"] = error };
        }

        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync(body.ToJsonString());
    }
}

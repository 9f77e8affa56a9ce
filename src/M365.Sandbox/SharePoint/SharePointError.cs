using M365.Sandbox.Graph;

namespace M365.Sandbox.SharePoint;

/// <summary>
/// SharePoint REST's error body: {"odata.error":{"code":"&lt;hresult&gt;, &lt;type&gt;","message":{"lang":"en-US","value":…}}},
/// or {"error":{…}} for a client that accepts odata=verbose.
/// </summary>
internal static class SharePointError
{
    public const string ArgumentException = "-2147024809, System.ArgumentException";
    public const string InvalidClientQuery = "-1, Microsoft.SharePoint.Client.InvalidClientQueryException";
    public const string SPException = "-2147024713, Microsoft.SharePoint.SPException";
    public const string FileNotFound = "-2147024894, System.IO.FileNotFoundException";
    public const string AccessDenied = "-2147024891, System.UnauthorizedAccessException";

    public static Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        var verbose = context.Request.Headers.Accept.ToString().Contains("odata=verbose", StringComparison.OrdinalIgnoreCase);
        var body = new Dictionary<string, object>
        {
            [verbose ? "error" : "odata.error"] = new { code, message = new { lang = "en-US", value = message } },
        };
        return context.Response.WriteAsJsonAsync(body, GraphJson.SerializerOptions, SharePointJson.ContentType, context.RequestAborted);
    }
}

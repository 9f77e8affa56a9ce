using M365.Sandbox.Graph;

namespace M365.Sandbox.SharePoint;

/// <summary>SharePoint REST answers in the nometadata JSON flavour the clients ask for.</summary>
internal static class SharePointJson
{
    public const string ContentType = "application/json;odata=nometadata;streaming=true;charset=utf-8";

    public static Task WriteAsync<T>(HttpContext context, T body) =>
        context.Response.WriteAsJsonAsync(body, GraphJson.SerializerOptions, ContentType, context.RequestAborted);
}

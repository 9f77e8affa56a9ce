namespace M365.Sandbox.SharePoint.Csom;

/// <summary>The ErrorInfo of a failed CSOM request (CSOM reports failures in a 200 body, not in the status code).</summary>
internal sealed record CsomFault(string Message, int Code, string TypeName)
{
    public static CsomFault Argument(string message) => new(message, -2147024809, "System.ArgumentException");

    public static CsomFault InvalidQuery(string message) => new(message, -2147024809, "Microsoft.SharePoint.Client.InvalidClientQueryException");

    public static CsomFault SiteExists(string url) => new($"A site already exists at url {url}.", -2147024713, "Microsoft.SharePoint.SPException");
}

using M365.Sandbox.Directory;

namespace M365.Sandbox.Identity;

/// <summary>
/// Answers a validated authorize request at its redirect URI, in the response mode it asked for: a form_post page,
/// or a 302 with the fields in the query or fragment.
/// </summary>
internal static class AuthorizeAnswer
{
    /// <summary>Issues a code for the user and sends it with the state, client_info and session_state.</summary>
    public static Task CodeAsync(HttpContext context, AuthorizationRequest request, SeededUser user)
    {
        var services = context.RequestServices;
        var code = services.GetRequiredService<AuthorizationCodeStore>().Issue(request, user);
        var fields = new List<KeyValuePair<string, string>> { new("code", code) };
        AddState(fields, request);
        fields.Add(new("client_info", services.GetRequiredService<TokenIssuer>().ClientInfo(user)));
        fields.Add(new("session_state", Guid.NewGuid().ToString()));
        return SendAsync(context, request, fields);
    }

    /// <summary>An OAuth error at the redirect URI; a null code leaves the AADSTS prefix out (a sign-in the user cancelled).</summary>
    public static Task ErrorAsync(HttpContext context, AuthorizationRequest request, string error, int? code, string description, string? subcode = null)
    {
        var fields = new List<KeyValuePair<string, string>> { new("error", error) };
        if (code is { } c)
        {
            var correlation = Guid.TryParse(context.Request.Query["client-request-id"], out var id) ? id : Guid.NewGuid();
            fields.Add(new("error_description",
                $"AADSTS{c}: {description} Trace ID: {Guid.NewGuid()} Correlation ID: {correlation} Timestamp: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ssZ}"));
            fields.Add(new("error_uri", $"https://login.microsoftonline.com/error?code={c}"));
        }
        else
        {
            fields.Add(new("error_description", description));
        }

        if (subcode is not null)
        {
            fields.Add(new("error_subcode", subcode));
        }

        AddState(fields, request);
        return SendAsync(context, request, fields);
    }

    private static void AddState(List<KeyValuePair<string, string>> fields, AuthorizationRequest request)
    {
        if (request.State is not null)
        {
            fields.Add(new("state", request.State));
        }
    }

    private static Task SendAsync(HttpContext context, AuthorizationRequest request, List<KeyValuePair<string, string>> fields)
    {
        if (request.ResponseMode == "form_post")
        {
            return SignInPages.FormPostAsync(context, request.RedirectUri, fields);
        }

        var encoded = QueryString.Create(fields!).ToUriComponent()[1..];
        var location = request.ResponseMode == "fragment"
            ? request.RedirectUri + "#" + encoded
            : request.RedirectUri + (request.RedirectUri.Contains('?') ? "&" : "?") + encoded;
        context.Response.Headers.CacheControl = "no-store, no-cache";
        context.Response.Redirect(location);
        return Task.CompletedTask;
    }
}

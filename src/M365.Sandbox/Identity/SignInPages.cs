using System.Security.Cryptography;
using System.Text;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Identity;

/// <summary>
/// The HTML of browser sign-in: sign-in, consent, error and the auto-submitting form_post answer. Every echoed value
/// is encoded, forms post only to this origin (or, for the answer, to the validated redirect URI) and a strict CSP
/// forbids everything else. Element ids are the browser driver's contract: #account #password #signin #cancel
/// #accept #decline, #signin-error for a refused password and #aadsts-error for an error page.
/// </summary>
internal static class SignInPages
{
    private const string Style = "body{font-family:sans-serif;max-width:28em;margin:3em auto;padding:0 1em}label,input,button{display:block;margin:.6em 0}"
        + "input{width:100%;padding:.4em}button{padding:.4em 1.5em}.row{display:flex;gap:1em}.alert{color:#a80000}code{word-break:break-all}";

    public static Task SignInAsync(HttpContext context, SignInSession session, TenantDirectory directory, string account, string? error)
    {
        var request = session.Request;
        var html = new StringBuilder()
            .Append("<h1>Sign in</h1><p>to continue to <b>").Append(Encode(request.App.DisplayName)).Append("</b></p>");
        if (error is not null)
        {
            html.Append("<p id=\"signin-error\" class=\"alert\" role=\"alert\">").Append(Encode(error)).Append("</p>");
        }

        html.Append("<form method=\"post\" action=\"/").Append(Encode(Uri.EscapeDataString(request.Tenant))).Append("/login\">")
            .Append(Hidden("ctx", session.Id))
            .Append("<label for=\"account\">Email, phone, or Skype</label>")
            .Append("<input id=\"account\" name=\"login\" type=\"text\" autocomplete=\"username\" list=\"users\" value=\"").Append(Encode(account)).Append("\">")
            .Append("<datalist id=\"users\">");
        foreach (var user in directory.Seed.Users)
        {
            html.Append("<option value=\"").Append(Encode(user.UserPrincipalName)).Append("\">").Append(Encode(user.DisplayName)).Append("</option>");
        }

        html.Append("</datalist><label for=\"password\">Password</label>")
            .Append("<input id=\"password\" name=\"passwd\" type=\"password\" autocomplete=\"current-password\">")
            .Append("<div class=\"row\"><button id=\"cancel\" name=\"action\" value=\"cancel\" type=\"submit\">Cancel</button>")
            .Append("<button id=\"signin\" name=\"action\" value=\"signin\" type=\"submit\">Sign in</button></div></form>");
        return WritePageAsync(context, 200, "Sign in to your account", html.ToString(), FormTargets(request));
    }

    public static Task ConsentAsync(HttpContext context, SignInSession session, SeededUser user)
    {
        var request = session.Request;
        var html = new StringBuilder()
            .Append("<h1>Permissions requested</h1><p>").Append(Encode(user.UserPrincipalName)).Append("</p><p><b>")
            .Append(Encode(request.App.DisplayName)).Append("</b> (").Append(Encode(request.App.AppId.ToString()))
            .Append(") needs permission to access resources in your organization that only an admin can grant:</p><ul id=\"permissions\">");
        // .default asks for what the app registration lists for the resource.
        var configured = request.App.DelegatedPermissions.TryGetValue(request.Resource.Service.Key, out var listed) ? listed : Array.Empty<string>();
        foreach (var permission in request.Resource.Permissions.SelectMany(p => p == ".default" ? configured : new[] { p }).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            html.Append("<li>").Append(Encode(request.Resource.Service.DisplayName)).Append(": ").Append(Encode(permission)).Append("</li>");
        }

        html.Append("</ul><p>Accepting grants them for all users of the organization.</p>")
            .Append("<form method=\"post\" action=\"/").Append(Encode(Uri.EscapeDataString(request.Tenant))).Append("/Consent/Set\">")
            .Append(Hidden("ctx", session.Id))
            .Append("<div class=\"row\"><button id=\"decline\" name=\"action\" value=\"decline\" type=\"submit\">Cancel</button>")
            .Append("<button id=\"accept\" name=\"action\" value=\"accept\" type=\"submit\">Accept</button></div></form>");
        return WritePageAsync(context, 200, "Permissions requested", html.ToString(), FormTargets(request));
    }

    /// <summary>An error the browser must not be sent back with (the app or redirect URI cannot be trusted): HTTP 400, no redirect.</summary>
    public static Task ErrorAsync(HttpContext context, int code, string description)
    {
        var html = $"<h1>Sign in</h1><div id=\"aadsts-error\" role=\"alert\"><p>Sorry, but we're having trouble signing you in.</p>" +
            $"<p id=\"error-message\">AADSTS{code}: {Encode(description)}</p>" +
            $"<p>Trace ID: {Guid.NewGuid()}<br>Correlation ID: {CorrelationId(context)}<br>Timestamp: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ssZ}</p></div>";
        return WritePageAsync(context, 400, "Sign in to your account", html, "'none'");
    }

    /// <summary>The response_mode=form_post answer: a form that posts the fields to the redirect URI as soon as it loads.</summary>
    public static Task FormPostAsync(HttpContext context, string redirectUri, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var nonce = Base64Url.Encode(RandomNumberGenerator.GetBytes(16));
        var html = new StringBuilder()
            .Append("<form method=\"post\" action=\"").Append(Encode(redirectUri)).Append("\">");
        foreach (var (name, value) in fields)
        {
            html.Append(Hidden(name, value));
        }

        html.Append("<noscript><p>Script is disabled. Click Submit to continue.</p><button type=\"submit\">Submit</button></noscript></form>")
            .Append("<script nonce=\"").Append(nonce).Append("\">document.forms[0].submit();</script>");
        return WritePageAsync(context, 200, "Working...", html.ToString(), Origin(redirectUri), nonce);
    }

    /// <summary>Encodes for HTML text and double-quoted attributes (the only places pages echo into).</summary>
    public static string Encode(string? text) => string.IsNullOrEmpty(text)
        ? string.Empty
        : text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    // The sign-in and consent pages post to this origin, which may answer with a redirect to the validated redirect URI
    // (query mode): Chromium checks form-action on that redirect too.
    private static string FormTargets(AuthorizationRequest request) => "'self' " + Origin(request.RedirectUri);

    // Only scheme, host and port of a validated URI: nothing of it can end the CSP directive.
    private static string Origin(string uri) => new Uri(uri).GetLeftPart(UriPartial.Authority);

    private static string Hidden(string name, string value) =>
        $"<input type=\"hidden\" name=\"{Encode(name)}\" value=\"{Encode(value)}\">";

    private static string CorrelationId(HttpContext context) =>
        Guid.TryParse(context.Request.Query["client-request-id"], out var id) ? id.ToString() : Guid.NewGuid().ToString();

    private static Task WritePageAsync(HttpContext context, int status, string title, string body, string formAction, string? scriptNonce = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store, no-cache";
        response.Headers["Content-Security-Policy"] =
            $"default-src 'none'; style-src 'unsafe-inline'; script-src {(scriptNonce is null ? "'none'" : $"'nonce-{scriptNonce}'")}; " +
            $"form-action {formAction}; frame-ancestors 'none'; base-uri 'none'";
        response.Headers["X-Frame-Options"] = "DENY";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        return response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Encode(title)} - M365 sandbox</title>" +
            $"<style>{Style}</style></head><body>{body}</body></html>");
    }
}

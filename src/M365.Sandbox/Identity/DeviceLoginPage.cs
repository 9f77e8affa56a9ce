using System.Net;
using System.Text;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Identity;

/// <summary>
/// The /devicelogin page a person uses under --interactive-approval: enter the code, pick the user, approve or
/// decline. Plain HTML forms, no script.
/// </summary>
internal static class DeviceLoginPage
{
    public static Task ShowAsync(HttpContext context, TenantDirectory directory) =>
        WriteAsync(context, 200, "Enter code", Form(directory, context.Request.Query["code"].ToString(), null));

    public static async Task SubmitAsync(HttpContext context, TenantDirectory directory, DeviceCodeStore store)
    {
        if (!context.Request.HasFormContentType)
        {
            await WriteAsync(context, 400, "Enter code", Form(directory, string.Empty, "Enter the code shown on your device."));
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var code = form["code"].ToString().Trim();
        var authorization = store.FindByUserCode(code);
        if (authorization is null || store.IsExpired(authorization) || authorization.State != DeviceAuthorizationState.Pending)
        {
            await WriteAsync(context, 400, "Enter code", Form(directory, code, "That code didn't work. Check the code and try again."));
            return;
        }

        var decline = form["action"].ToString() == "decline";
        var user = decline ? null : directory.FindUser(form["user"].ToString());
        if (!decline && user is null)
        {
            await WriteAsync(context, 400, "Enter code", Form(directory, code, "Choose a user of the tenant."));
            return;
        }

        if (!store.Decide(code, user))
        {
            await WriteAsync(context, 409, "Enter code", Form(directory, code, "That code was already used."));
            return;
        }

        var app = Encode(authorization.App.DisplayName);
        await WriteAsync(context, 200, decline ? "Sign-in declined" : "Signed in", decline
            ? $"<h1 id=\"result\">Sign-in declined</h1><p>You declined to sign in to {app} on your device.</p>"
            : $"<h1 id=\"result\">You're signed in</h1><p>{Encode(user!.UserPrincipalName)} has signed in to the {app} application on your device. You may now close this window.</p>");
    }

    private static string Form(TenantDirectory directory, string code, string? error)
    {
        var html = new StringBuilder();
        html.Append("<h1>Enter code</h1><p>Enter the code displayed on your app or device.</p>");
        if (error is not null)
        {
            html.Append("<p id=\"error\" role=\"alert\">").Append(Encode(error)).Append("</p>");
        }

        html.Append("<form method=\"post\" action=\"/devicelogin\">")
            .Append("<label>Code <input name=\"code\" autocomplete=\"off\" value=\"").Append(Encode(code)).Append("\"></label>")
            .Append("<label>Sign in as <select name=\"user\">");
        foreach (var user in directory.Seed.Users)
        {
            html.Append("<option>").Append(Encode(user.UserPrincipalName)).Append("</option>");
        }

        html.Append("</select></label>")
            .Append("<button name=\"action\" value=\"approve\">Approve</button>")
            .Append("<button name=\"action\" value=\"decline\">Decline</button></form>");
        return html.ToString();
    }

    private static Task WriteAsync(HttpContext context, int status, string title, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";
        context.Response.Headers["X-Frame-Options"] = "DENY";
        return context.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Encode(title)} - M365 sandbox</title>" +
            "<style>body{font-family:sans-serif;max-width:30em;margin:3em auto}label{display:block;margin:1em 0}</style></head>" +
            $"<body>{body}</body></html>");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

using System.Text.Json.Nodes;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Identity;

/// <summary>POST /{tenant}/oauth2/v2.0/devicecode: starts a device-code sign-in.</summary>
internal static class DeviceCodeEndpoint
{
    public static async Task HandleAsync(HttpContext context, string tenant)
    {
        var services = context.RequestServices;
        var directory = services.GetRequiredService<TenantDirectory>();
        if (!TenantPath.IsKnown(tenant, directory))
        {
            await TenantPath.WriteNotFoundAsync(context, tenant);
            return;
        }

        if (!context.Request.HasFormContentType)
        {
            await AadErrors.WriteAsync(context, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var app = await TokenEndpoint.FindClientAsync(context, form["client_id"].ToString(), tenant, directory);
        if (app is null)
        {
            return;
        }

        var scope = form["scope"].ToString();
        if (ScopeRequest.Parse(scope, directory, out var code, out var error) is null)
        {
            await AadErrors.WriteAsync(context, 400, code == 500011 ? "invalid_resource" : "invalid_scope", code, error);
            return;
        }

        var options = services.GetRequiredService<SandboxOptions>();
        var authorization = services.GetRequiredService<DeviceCodeStore>().Create(app, scope);
        var verificationUri = options.InteractiveApproval
            ? $"https://127.0.0.1:{context.Connection.LocalPort}/devicelogin"
            : "https://microsoft.com/devicelogin";
        var lifetime = (long)(authorization.ExpiresAt - options.TimeProvider.GetUtcNow()).TotalSeconds;
        await TokenEndpoint.WriteJsonAsync(context, new JsonObject
        {
            ["user_code"] = authorization.UserCode,
            ["device_code"] = authorization.DeviceCode,
            ["verification_uri"] = verificationUri,
            ["expires_in"] = lifetime,
            ["interval"] = options.DeviceCodeIntervalSeconds,
            ["message"] = $"To sign in, use a web browser to open the page {verificationUri} and enter the code {authorization.UserCode} to authenticate.",
        });
    }
}

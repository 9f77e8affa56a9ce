using System.Globalization;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Control;

/// <summary>Applies the per-app throttle budgets to resource requests that carry a bearer token.</summary>
internal sealed class ThrottleMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ThrottleBudgets _budgets;
    private readonly SandboxHostNames _hosts;

    public ThrottleMiddleware(RequestDelegate next, ThrottleBudgets budgets, SandboxHostNames hosts)
    {
        _next = next;
        _budgets = budgets;
        _hosts = hosts;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var peek = TokenPeek.Read(Identity.ResourceAuthorizer.BearerToken(context.Request));
        if (peek?.AppId is { } appId && Guid.TryParse(appId, out var id) && _budgets.TryConsume(id) is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await ServiceErrors.WriteAsync(context, 429, "TooManyRequests", "The application has exceeded its request budget. Retry after the time given in Retry-After.", _hosts);
            return;
        }

        await _next(context);
    }
}

using System.Text.RegularExpressions;
using M365.Sandbox.Graph.Batch;
using M365.Sandbox.Hosting;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Control;

/// <summary>Records every request except those of the control API itself, after it is answered.</summary>
internal sealed partial class RequestLogMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RequestLog _log;
    private readonly TimeProvider _time;
    private readonly BatchItemMarker _batchItems;

    public RequestLogMiddleware(RequestDelegate next, RequestLog log, TimeProvider time, BatchItemMarker batchItems)
    {
        _next = next;
        _log = log;
        _time = time;
        _batchItems = batchItems;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var started = _time.GetUtcNow();
        try
        {
            await _next(context);
        }
        finally
        {
            if (!ControlApi.IsControlRequest(context.Request))
            {
                _log.Add(CreateEntry(context, started) with { BatchId = _batchItems.BatchIdOf(context.Request), CaeClaims = context.Items[RequestItems.CaeClaims] is true });
            }
        }
    }

    private static RequestLogEntry CreateEntry(HttpContext context, DateTimeOffset started)
    {
        var request = context.Request;
        string? audience = null, identityType = null, appId = null;
        if (context.Items[RequestItems.ValidatedToken] is ValidatedToken validated)
        {
            (audience, identityType, appId) = (validated.Audience, validated.IdentityType, validated.AppId);
        }
        else if (TokenPeek.Read(ResourceAuthorizer.BearerToken(request)) is { } peek)
        {
            (audience, identityType, appId) = (peek.Audience, peek.IdentityType, peek.AppId);
        }

        return new RequestLogEntry(
            started,
            request.Method,
            request.Host.Host.ToLowerInvariant(),
            request.Path.Value ?? "/",
            Redact(request.QueryString.Value ?? string.Empty),
            context.Response.StatusCode,
            audience ?? context.Items[RequestItems.IssuedAudience] as string,
            identityType,
            appId,
            context.Items[RequestItems.GrantType] as string,
            context.Items[FaultInjectionMiddleware.AppliedFaultItem] as string);
    }

    private static string Redact(string query) => SecretParameter().Replace(query, m => m.Groups[1].Value + "=REDACTED");

    [GeneratedRegex("(code|client_secret|access_token|refresh_token|password|assertion|client_assertion)=[^&]*", RegexOptions.IgnoreCase)]
    private static partial Regex SecretParameter();
}

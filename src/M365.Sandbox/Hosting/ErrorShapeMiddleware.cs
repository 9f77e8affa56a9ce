namespace M365.Sandbox.Hosting;

/// <summary>
/// Turns failures into the service's own error shape: an oversized or broken request gets its 4xx, anything
/// unexpected a 500 without a stack trace (the exception goes to the warning log, which never holds tokens).
/// </summary>
internal sealed class ErrorShapeMiddleware
{
    private readonly RequestDelegate _next;
    private readonly SandboxHostNames _hosts;
    private readonly ILogger<ErrorShapeMiddleware> _logger;

    public ErrorShapeMiddleware(RequestDelegate next, SandboxHostNames hosts, ILogger<ErrorShapeMiddleware> logger)
    {
        _next = next;
        _hosts = hosts;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await _next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var code = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "RequestEntityTooLarge" : "BadRequest";
            var message = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"The request body is larger than {SandboxApplication.MaxRequestBodyBytes} bytes."
                : "The request is malformed.";
            context.Response.Clear();
            await ServiceErrors.WriteAsync(context, ex.StatusCode, code, message, _hosts);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            _logger.LogWarning("Unhandled {Type} for {Method} {Host}{Path}: {Message}", ex.GetType().Name, context.Request.Method, context.Request.Host.Host, context.Request.Path, ex.Message);
            context.Response.Clear();
            await ServiceErrors.WriteAsync(context, 500, "InternalServerError", "The sandbox failed to process the request.", _hosts);
        }
    }
}

using System.Text;
using M365.Sandbox.Graph;

namespace M365.Sandbox.SharePoint.Csom;

/// <summary>POST /_vti_bin/client.svc/ProcessQuery on the -admin host.</summary>
internal static class CsomEndpoints
{
    private const string SchemaVersion = "15.0.0.0";
    private const string LibraryVersion = "16.0.24817.12005";
    private const int MaxBodyChars = 1024 * 1024;

    public static void Map(RouteGroupBuilder admin) => admin.MapPost("/_vti_bin/client.svc/ProcessQuery", ProcessQueryAsync);

    private static async Task ProcessQueryAsync(HttpContext context)
    {
        if (await context.AuthorizeAsync(SharePointPermissions.TenantAdministration) is null)
        {
            return;
        }

        var xml = await ReadBodyAsync(context);
        CsomFault? fault;
        IReadOnlyList<object> results = Array.Empty<object>();
        if (xml is null)
        {
            fault = CsomFault.InvalidQuery("The request body is too large.");
        }
        else
        {
            var request = CsomRequest.Parse(xml, out fault);
            if (request is not null)
            {
                var processor = new CsomProcessor(context.RequestServices.GetRequiredService<SiteStore>(), context.RequestServices.GetRequiredService<TenantProfile>());
                results = processor.Run(request, out fault);
            }
        }

        var correlation = Guid.NewGuid().ToString();
        context.Response.Headers["SPRequestGuid"] = correlation;
        var answer = new List<object> { Header(fault, correlation) };
        if (fault is null)
        {
            answer.AddRange(results);
        }

        await context.Response.WriteAsJsonAsync(answer, GraphJson.SerializerOptions, "application/json; charset=utf-8", context.RequestAborted);
    }

    private static Dictionary<string, object?> Header(CsomFault? fault, string correlation) => new()
    {
        ["SchemaVersion"] = SchemaVersion,
        ["LibraryVersion"] = LibraryVersion,
        ["ErrorInfo"] = fault is null ? null : new Dictionary<string, object?>
        {
            ["ErrorMessage"] = fault.Message,
            ["ErrorValue"] = null,
            ["TraceCorrelationId"] = correlation,
            ["ErrorCode"] = fault.Code,
            ["ErrorTypeName"] = fault.TypeName,
        },
        ["TraceCorrelationId"] = correlation,
    };

    private static async Task<string?> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = new StringBuilder();
        var chunk = new char[16 * 1024];
        int read;
        while ((read = await reader.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            text.Append(chunk, 0, read);
            if (text.Length > MaxBodyChars)
            {
                return null;
            }
        }

        return text.ToString();
    }
}

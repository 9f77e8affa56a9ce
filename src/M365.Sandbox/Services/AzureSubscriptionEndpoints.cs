using M365.Sandbox.Graph;
using M365.Sandbox.Hosting;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Services;

/// <summary>Azure Resource Manager on management.azure.com: GET /subscriptions?api-version=….</summary>
internal static class AzureSubscriptionEndpoints
{
    // ARM accepts app-only tokens too; an app without an RBAC role simply sees no subscription.
    private static readonly AccessRequirement ListSubscriptions = AccessRequirement.Of(new[] { "user_impersonation" }, Array.Empty<string>());

    private static readonly string[] ApiVersions =
    {
        "2014-04-01", "2015-01-01", "2016-06-01", "2018-02-01", "2019-06-01", "2019-11-01", "2020-01-01",
        "2021-01-01", "2022-01-01", "2022-09-01", "2022-12-01",
    };

    public static void Map(RouteGroupBuilder arm) => arm.MapGet("/subscriptions", ListAsync);

    private static async Task ListAsync(HttpContext context)
    {
        var token = await context.AuthorizeAsync(ListSubscriptions);
        if (token is null)
        {
            return;
        }

        var apiVersion = context.Request.Query["api-version"].ToString();
        if (apiVersion.Length == 0)
        {
            await ErrorAsync(context, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
            return;
        }

        if (!ApiVersions.Contains(apiVersion, StringComparer.Ordinal))
        {
            await ErrorAsync(context, "InvalidApiVersionParameter",
                $"The api-version '{apiVersion}' is invalid. The supported versions are '{string.Join(",", ApiVersions.Reverse())}'.");
            return;
        }

        var subscriptions = token.IsAppOnly ? Array.Empty<object>() : new object[] { Subscription(token.TenantId) };
        await context.Response.WriteAsJsonAsync(new
        {
            value = subscriptions,
            count = new { type = "Total", value = subscriptions.Length },
        }, GraphJson.SerializerOptions, "application/json; charset=utf-8", context.RequestAborted);
    }

    private static object Subscription(Guid tenantId)
    {
        var id = DeterministicGuid.From("subscription:" + tenantId);
        return new
        {
            id = $"/subscriptions/{id}",
            authorizationSource = "RoleBased",
            managedByTenants = Array.Empty<object>(),
            subscriptionId = id,
            tenantId,
            displayName = "Sandbox Production",
            state = "Enabled",
            subscriptionPolicies = new { locationPlacementId = "Public_2014-09-01", quotaId = "PayAsYouGo_2014-09-01", spendingLimit = "Off" },
        };
    }

    private static Task ErrorAsync(HttpContext context, string code, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return context.Response.WriteAsJsonAsync(new { error = new { code, message } }, GraphJson.SerializerOptions, "application/json; charset=utf-8", context.RequestAborted);
    }
}

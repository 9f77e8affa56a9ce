using M365.Sandbox.Directory;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Graph;

/// <summary>
/// Who may change the directory: the token must carry the permission, and a delegated caller must also be allowed as a
/// user (an administrator; a member only where Entra ID lets members act, such as registering an app or changing one
/// they own). Graph answers 403 Authorization_RequestDenied otherwise.
/// </summary>
internal static class DirectoryWrites
{
    public const string Denied = "Insufficient privileges to complete the operation.";

    /// <summary>The signed-in user of a delegated token (null for an app-only one).</summary>
    public static SeededUser? UserOf(HttpContext context, ValidatedToken caller) =>
        caller.IsAppOnly || !Guid.TryParse(caller.ObjectId, out var id) ? null : context.RequestServices.GetRequiredService<TenantDirectory>().FindUser(id);

    /// <summary>True when an app-only caller, or a user the rule allows; else writes the 403.</summary>
    public static async Task<bool> AllowAsync(HttpContext context, ValidatedToken caller, Func<SeededUser, bool> userMay)
    {
        if (caller.IsAppOnly || (UserOf(context, caller) is { } user && (user.IsAdmin || userMay(user))))
        {
            return true;
        }

        await DenyAsync(context);
        return false;
    }

    public static Task DenyAsync(HttpContext context) => GraphError.WriteAsync(
        context, StatusCodes.Status403Forbidden, "Authorization_RequestDenied", Denied, context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider);

    public static Task BadRequestAsync(HttpContext context, string message) => GraphError.WriteAsync(
        context, StatusCodes.Status400BadRequest, "Request_BadRequest", message, context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider);

    public static Task NotFoundAsync(HttpContext context, string id) => GraphError.WriteAsync(
        context, StatusCodes.Status404NotFound, GraphError.ResourceNotFound,
        $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.", context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider);

    public static Task ConflictAsync(HttpContext context, string message) => GraphError.WriteAsync(
        context, StatusCodes.Status409Conflict, "Request_MultipleObjectsWithSameKeyValue", message, context.RequestServices.GetRequiredService<TenantProfile>().TimeProvider);

    public static void NoContent(HttpContext context) => context.Response.StatusCode = StatusCodes.Status204NoContent;
}

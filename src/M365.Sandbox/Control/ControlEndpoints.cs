using System.Text.Json;
using System.Text.Json.Nodes;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;
using M365.Sandbox.Identity;

namespace M365.Sandbox.Control;

/// <summary>
/// The control API under /_sandbox, on the bare loopback host only (127.0.0.1 / localhost): faults, throttle
/// budgets, revocation, consent, lifetimes and the request log, as JSON.
/// </summary>
public static class ControlEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static WebApplication MapSandboxControl(this WebApplication app)
    {
        var control = app.MapGroup(ControlApi.Prefix).RequireHost(ControlApi.Hosts);
        control.MapGet("/", (SandboxOptions options, TenantDirectory directory, HttpContext context) => Results.Json(new
        {
            tenantName = directory.Hosts.TenantName,
            tenantId = directory.TenantId,
            url = $"https://127.0.0.1:{context.Connection.LocalPort}",
            interactiveApproval = options.InteractiveApproval,
        }, Json));
        control.MapGet("/seed", (TenantDirectory directory) => Results.Json(directory.Seed, Json));

        control.MapGet("/requests", (RequestLog log, string? host, string? grantType) => Results.Json(
            log.Snapshot().Where(e => (host is null || e.Host == host) && (grantType is null || e.GrantType == grantType)), Json));
        control.MapDelete("/requests", (RequestLog log) => { log.Clear(); return Results.NoContent(); });

        control.MapGet("/faults", (FaultInjector faults) => Results.Json(faults.List(), Json));
        control.MapPost("/faults", AddFaultAsync);
        control.MapDelete("/faults", (FaultInjector faults) => { faults.Clear(); return Results.NoContent(); });
        control.MapDelete("/faults/{id}", (FaultInjector faults, string id) => faults.Remove(id) ? Results.NoContent() : NotFound($"No fault '{id}'."));

        control.MapGet("/throttle", (ThrottleBudgets budgets) => Results.Json(budgets.List(), Json));
        control.MapPut("/throttle/{appId:guid}", SetThrottleAsync);
        control.MapDelete("/throttle/{appId:guid}", (ThrottleBudgets budgets, Guid appId) => budgets.Remove(appId) ? Results.NoContent() : NotFound($"No budget for '{appId}'."));
        control.MapDelete("/throttle", (ThrottleBudgets budgets) => { budgets.Clear(); return Results.NoContent(); });

        control.MapPost("/users/{upn}/revoke-refresh-tokens", (TenantDirectory directory, string upn) =>
            directory.FindUser(upn) is { } user
                ? Results.Json(new { userPrincipalName = user.UserPrincipalName, tokensValidFrom = directory.RevokeSignInSessions(user.Id) }, Json)
                : NotFound($"No user '{upn}'."));
        control.MapPost("/apps/{appId:guid}/withdraw-consent", (TenantDirectory directory, Guid appId, string? resource) =>
        {
            if (directory.FindApp(appId) is null)
            {
                return NotFound($"No app '{appId}'.");
            }

            if (resource is not null && ResourceService.ForKey(resource) is null)
            {
                return BadRequest($"Unknown resource '{resource}'; use one of {string.Join(", ", ResourceService.All.Select(s => s.Key))}.");
            }

            directory.WithdrawConsent(appId, resource);
            return Results.NoContent();
        });
        control.MapPost("/apps/{appId:guid}/restore-consent", (TenantDirectory directory, Guid appId) =>
        {
            directory.RestoreConsent(appId);
            return Results.NoContent();
        });

        control.MapGet("/devicecode/user", (DeviceCodeStore codes, TenantDirectory directory) =>
            Results.Json(new { userPrincipalName = (codes.AutoApprovalUser ?? directory.Seed.DefaultUser).UserPrincipalName }, Json));
        control.MapPut("/devicecode/user", SetDeviceCodeUserAsync);

        control.MapGet("/apps/replication", (ApplicationStore apps) => Results.Json(new { seconds = apps.ReplicationDelay.TotalSeconds }, Json));
        control.MapPut("/apps/replication", SetReplicationAsync);

        control.MapGet("/sites/provisioning", (SharePoint.SiteStore sites) => Results.Json(new { seconds = sites.ProvisioningDelay.TotalSeconds }, Json));
        control.MapPut("/sites/provisioning", SetProvisioningAsync);
        control.MapGet("/sites/lifecycle", (SharePoint.SiteStore sites) => Results.Json(new { pageSize = sites.ListPageSize, operationSeconds = sites.OperationDelay.TotalSeconds }, Json));
        control.MapPut("/sites/lifecycle", SetLifecycleAsync);

        control.MapPost("/cae/challenge", AddClaimsChallengeAsync);
        control.MapGet("/cae/challenges", (CaeChallenges cae) => Results.Json(cae.List().Select(ChallengeBody), Json));
        control.MapDelete("/cae/challenges", (CaeChallenges cae) => { cae.Clear(); return Results.NoContent(); });

        control.MapGet("/lifetimes", (TokenLifetimes lifetimes) => Results.Json(LifetimesBody(lifetimes), Json));
        control.MapPut("/lifetimes", SetLifetimesAsync);
        control.MapPost("/reset", (RequestLog log, FaultInjector faults, ThrottleBudgets budgets, CaeChallenges cae, DeviceCodeStore codes) =>
        {
            codes.AutoApprovalUser = null;
            log.Clear();
            faults.Clear();
            budgets.Clear();
            cae.Clear();
            return Results.NoContent();
        });
        return app;
    }

    /// <summary>{"user": upn, "app": appId, "resource": "https://graph.microsoft.com", "sticky": false}: at least one of the first three.</summary>
    private static async Task<IResult> AddClaimsChallengeAsync(HttpContext context, CaeChallenges cae, TenantDirectory directory)
    {
        var body = await ReadObjectAsync(context);
        if (body is null)
        {
            return BadRequest("The body must be {\"user\": upn, \"app\": appId, \"resource\": url, \"sticky\": bool} with at least one of user, app and resource.");
        }

        try
        {
            var challenge = ClaimsChallengeFactory.Add(cae, directory, Text(body, "user"), Text(body, "app"), Text(body, "resource"), body["sticky"] is JsonValue s && s.GetValue<bool>());
            return Results.Json(ChallengeBody(challenge), Json, statusCode: 201);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            return BadRequest(ex.Message);
        }
    }

    private static string? Text(JsonObject body, string name) => body[name] is JsonValue v && v.TryGetValue(out string? text) ? text : null;

    private static object ChallengeBody(CaeChallenge c) => new
    {
        id = c.Id,
        userId = c.UserId,
        appId = c.AppId,
        resource = c.Audience,
        nbf = c.Nbf,
        sticky = c.Sticky,
        claims = c.ClaimsBase64,
    };

    /// <summary>{"userPrincipalName": upn}: who auto-approved device codes sign in as from now on; null for the seed's first user.</summary>
    private static async Task<IResult> SetDeviceCodeUserAsync(HttpContext context, DeviceCodeStore codes, TenantDirectory directory)
    {
        const string Usage = "The body must be {\"userPrincipalName\": upn} with a user of the seed, or null for the seed's first user.";
        try
        {
            var body = await context.Request.ReadFromJsonAsync<JsonObject>(Json, context.RequestAborted);
            if (body is null || !body.TryGetPropertyValue("userPrincipalName", out var value))
            {
                return BadRequest(Usage);
            }

            var user = value is null ? null : value is JsonValue text && text.TryGetValue(out string? upn) ? directory.FindUser(upn) : null;
            if (value is not null && user is null)
            {
                return BadRequest(Usage);
            }

            codes.AutoApprovalUser = user;
            return Results.Json(new { userPrincipalName = (user ?? directory.Seed.DefaultUser).UserPrincipalName }, Json);
        }
        catch (JsonException)
        {
            return BadRequest(Usage);
        }
    }

    /// <summary>{"seconds": N}: how long a new app answers AADSTS700016 (Entra ID's replication), on the sandbox clock.</summary>
    private static async Task<IResult> SetReplicationAsync(HttpContext context, ApplicationStore apps)
    {
        try
        {
            var body = await context.Request.ReadFromJsonAsync<JsonObject>(Json, context.RequestAborted);
            if (body?["seconds"] is not JsonValue value || !value.TryGetValue(out double seconds) || seconds is < 0 or > 86_400)
            {
                return BadRequest("The body must be {\"seconds\": N} with N between 0 and 86400.");
            }

            apps.ReplicationDelay = TimeSpan.FromSeconds(seconds);
            return Results.Json(new { seconds }, Json);
        }
        catch (JsonException)
        {
            return BadRequest("The body must be {\"seconds\": N} with N between 0 and 86400.");
        }
    }

    private static async Task<IResult> SetProvisioningAsync(HttpContext context, SharePoint.SiteStore sites)
    {
        try
        {
            var body = await context.Request.ReadFromJsonAsync<JsonObject>(Json, context.RequestAborted);
            if (body?["seconds"] is not JsonValue value || !value.TryGetValue(out double seconds) || seconds is < 0 or > 86_400)
            {
                return BadRequest("The body must be {\"seconds\": N} with N between 0 and 86400.");
            }

            sites.ProvisioningDelay = TimeSpan.FromSeconds(seconds);
            return Results.Json(new { seconds }, Json);
        }
        catch (JsonException ex)
        {
            return BadRequest(ex.Message);
        }
    }

    // {"pageSize": N (1-5000), "operationSeconds": S (0-86400)}: either or both.
    private static async Task<IResult> SetLifecycleAsync(HttpContext context, SharePoint.SiteStore sites)
    {
        const string Usage = "The body must be {\"pageSize\": N, \"operationSeconds\": S} with N between 1 and 5000 and S between 0 and 86400.";
        try
        {
            var body = await context.Request.ReadFromJsonAsync<JsonObject>(Json, context.RequestAborted);
            int? pageSize = null;
            double? seconds = null;
            if (body is null
                || (body["pageSize"] is { } size && (size is not JsonValue sv || !sv.TryGetValue(out int n) || n is < 1 or > 5000 || (pageSize = n) is null))
                || (body["operationSeconds"] is { } op && (op is not JsonValue ov || !ov.TryGetValue(out double d) || d is < 0 or > 86_400 || (seconds = d) is null)))
            {
                return BadRequest(Usage);
            }

            if (pageSize is int p)
            {
                sites.ListPageSize = p;
            }

            if (seconds is double s)
            {
                sites.OperationDelay = TimeSpan.FromSeconds(s);
            }

            return Results.Json(new { pageSize = sites.ListPageSize, operationSeconds = sites.OperationDelay.TotalSeconds }, Json);
        }
        catch (JsonException ex)
        {
            return BadRequest(ex.Message);
        }
    }

    private static async Task<IResult> AddFaultAsync(HttpContext context, FaultInjector faults)
    {
        try
        {
            var rule = await context.Request.ReadFromJsonAsync<FaultRule>(Json, context.RequestAborted);
            if (rule is null)
            {
                return BadRequest("The body must be a fault rule.");
            }

            return Results.Json(new { id = faults.Add(rule) }, Json, statusCode: 201);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return BadRequest(ex.Message);
        }
    }

    private static async Task<IResult> SetThrottleAsync(HttpContext context, ThrottleBudgets budgets, Guid appId)
    {
        var body = await ReadObjectAsync(context);
        if (body?["requestsPerMinute"] is not JsonValue v || !v.TryGetValue(out int perMinute) || perMinute < 1)
        {
            return BadRequest("The body must be {\"requestsPerMinute\": n} with n >= 1.");
        }

        budgets.Set(appId, perMinute);
        return Results.NoContent();
    }

    private static async Task<IResult> SetLifetimesAsync(HttpContext context, TokenLifetimes lifetimes)
    {
        var body = await ReadObjectAsync(context);
        if (body is null)
        {
            return BadRequest("The body must be {\"accessTokenSeconds\", \"refreshTokenSeconds\", \"deviceCodeSeconds\"} (any of them).");
        }

        try
        {
            lifetimes.Set(Seconds(body, "accessTokenSeconds"), Seconds(body, "refreshTokenSeconds"), Seconds(body, "deviceCodeSeconds"));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            return BadRequest(ex.Message);
        }

        return Results.Json(LifetimesBody(lifetimes), Json);
    }

    private static TimeSpan? Seconds(JsonObject body, string name) =>
        body[name] is JsonValue v ? TimeSpan.FromSeconds(v.GetValue<double>()) : null;

    private static object LifetimesBody(TokenLifetimes l) => new
    {
        accessTokenSeconds = l.AccessToken.TotalSeconds,
        refreshTokenSeconds = l.RefreshToken.TotalSeconds,
        deviceCodeSeconds = l.DeviceCode.TotalSeconds,
    };

    private static async Task<JsonObject?> ReadObjectAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult BadRequest(string message) => Results.Json(new { error = new { code = "BadRequest", message } }, Json, statusCode: 400);

    private static IResult NotFound(string message) => Results.Json(new { error = new { code = "NotFound", message } }, Json, statusCode: 404);
}

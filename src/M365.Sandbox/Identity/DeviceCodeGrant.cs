using M365.Sandbox.Hosting;

namespace M365.Sandbox.Identity;

/// <summary>Redeems a device code: pending until approved (auto-approval approves at the first poll), then tokens once.</summary>
internal static class DeviceCodeGrant
{
    public static async Task HandleAsync(TokenRequest request)
    {
        var deviceCode = request["device_code"] ?? request["code"];
        if (deviceCode is null)
        {
            await request.MissingAsync("device_code");
            return;
        }

        var store = request.Service<DeviceCodeStore>();
        var authorization = store.FindByDeviceCode(deviceCode);
        if (authorization is null || authorization.App.AppId != request.App.AppId)
        {
            await AadErrors.WriteAsync(request.Context, 400, "invalid_grant", 70000, "The provided value for the input parameter 'device_code' is not valid.");
            return;
        }

        if (store.IsExpired(authorization))
        {
            await AadErrors.WriteDeviceFlowAsync(request.Context, "expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired.");
            return;
        }

        var interactive = request.Service<SandboxOptions>().InteractiveApproval;
        var defaultUser = store.AutoApprovalUser ?? request.Service<Directory.TenantDirectory>().Seed.DefaultUser;
        DeviceAuthorizationState state;
        lock (authorization)
        {
            authorization.Polls++;
            state = authorization.State;
            if (state == DeviceAuthorizationState.Pending && !interactive && authorization.Polls == 1)
            {
                // Auto-approval: the first poll still says pending, as a real user needs a moment.
                authorization.User = defaultUser;
                authorization.State = DeviceAuthorizationState.Approved;
            }
            else if (state == DeviceAuthorizationState.Approved)
            {
                authorization.State = DeviceAuthorizationState.Redeemed;
            }
        }

        switch (state)
        {
            case DeviceAuthorizationState.Pending:
                await AadErrors.WriteDeviceFlowAsync(request.Context, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");
                break;
            case DeviceAuthorizationState.Declined:
                await AadErrors.WriteDeviceFlowAsync(request.Context, "authorization_declined", 70000, "The user has declined to authorize the request.");
                break;
            case DeviceAuthorizationState.Redeemed:
                await AadErrors.WriteAsync(request.Context, 400, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");
                break;
            default:
                await DelegatedTokenResponse.WriteAsync(request, authorization.User!, authorization.Scope);
                break;
        }
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Identity;

/// <summary>Device codes issued and their approval state.</summary>
public sealed class DeviceCodeStore
{
    // No vowels or look-alikes, as Entra's codes avoid words and ambiguity.
    private const string UserCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ23456789";
    private readonly ConcurrentDictionary<string, DeviceAuthorization> _byDeviceCode = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DeviceAuthorization> _byUserCode = new(StringComparer.OrdinalIgnoreCase);
    private readonly TokenLifetimes _lifetimes;
    private readonly TimeProvider _time;

    public DeviceCodeStore(TokenLifetimes lifetimes, TimeProvider time)
    {
        _lifetimes = lifetimes;
        _time = time;
    }

    /// <summary>Who auto-approval signs in as: null for the seed's first user (the admin).</summary>
    public SeededUser? AutoApprovalUser { get; set; }

    public DeviceAuthorization Create(SeededApp app, string scope)
    {
        var authorization = new DeviceAuthorization
        {
            DeviceCode = "DAQABAAEAAAD" + Base64Url.Encode(RandomNumberGenerator.GetBytes(48)),
            UserCode = NewUserCode(),
            App = app,
            Scope = scope,
            ExpiresAt = _time.GetUtcNow().Add(_lifetimes.DeviceCode),
        };
        _byDeviceCode[authorization.DeviceCode] = authorization;
        _byUserCode[authorization.UserCode] = authorization;
        return authorization;
    }

    public DeviceAuthorization? FindByDeviceCode(string deviceCode) => _byDeviceCode.GetValueOrDefault(deviceCode);

    public DeviceAuthorization? FindByUserCode(string userCode) => _byUserCode.GetValueOrDefault(userCode.Trim().Replace("-", string.Empty));

    public bool IsExpired(DeviceAuthorization authorization) => _time.GetUtcNow() >= authorization.ExpiresAt;

    /// <summary>Approves or declines a pending code; false when it is unknown, expired or already decided.</summary>
    public bool Decide(string userCode, SeededUser? approvingUser)
    {
        var authorization = FindByUserCode(userCode);
        if (authorization is null || IsExpired(authorization))
        {
            return false;
        }

        lock (authorization)
        {
            if (authorization.State != DeviceAuthorizationState.Pending)
            {
                return false;
            }

            authorization.User = approvingUser;
            authorization.State = approvingUser is null ? DeviceAuthorizationState.Declined : DeviceAuthorizationState.Approved;
            return true;
        }
    }

    private static string NewUserCode() =>
        string.Create(9, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = UserCodeAlphabet[RandomNumberGenerator.GetInt32(UserCodeAlphabet.Length)];
            }
        });
}

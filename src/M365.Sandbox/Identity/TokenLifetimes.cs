using M365.Sandbox.Hosting;

namespace M365.Sandbox.Identity;

/// <summary>Token and device-code lifetimes, changeable while the sandbox runs (control API).</summary>
public sealed class TokenLifetimes
{
    private readonly Lock _gate = new();
    private TimeSpan _accessToken;
    private TimeSpan _refreshToken;
    private TimeSpan _deviceCode;

    public TokenLifetimes(SandboxOptions options)
    {
        _accessToken = options.AccessTokenLifetime;
        _refreshToken = options.RefreshTokenLifetime;
        _deviceCode = options.DeviceCodeLifetime;
    }

    public TimeSpan AccessToken { get { lock (_gate) { return _accessToken; } } }

    public TimeSpan RefreshToken { get { lock (_gate) { return _refreshToken; } } }

    public TimeSpan DeviceCode { get { lock (_gate) { return _deviceCode; } } }

    public void Set(TimeSpan? accessToken = null, TimeSpan? refreshToken = null, TimeSpan? deviceCode = null)
    {
        foreach (var value in new[] { accessToken, refreshToken, deviceCode })
        {
            if (value is { } v && v <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(accessToken), v, "A lifetime must be positive.");
            }
        }

        lock (_gate)
        {
            _accessToken = accessToken ?? _accessToken;
            _refreshToken = refreshToken ?? _refreshToken;
            _deviceCode = deviceCode ?? _deviceCode;
        }
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using M365.Sandbox.Directory;
using M365.Sandbox.Hosting;

namespace M365.Sandbox.Identity;

/// <summary>A code the authorize endpoint issued, bound to everything the token request must repeat.</summary>
internal sealed class AuthorizationCode
{
    public required AuthorizationRequest Request { get; init; }

    public required SeededUser User { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Set once, under the code's lock.</summary>
    public bool Redeemed { get; set; }

    public override string ToString() => $"authorization code for {Request.App.DisplayName} as {User.UserPrincipalName}";
}

/// <summary>A browser sign-in waiting on the sign-in or consent page (interactive approval); its id is the form's ctx.</summary>
internal sealed class SignInSession
{
    public required string Id { get; init; }

    public required AuthorizationRequest Request { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The user once the password was checked; then only consent is left.</summary>
    public SeededUser? User { get; set; }

    public override string ToString() => $"sign-in session for {Request.App.DisplayName}";
}

/// <summary>Authorization codes (single use, short-lived) and the browser sign-ins in progress.</summary>
internal sealed class AuthorizationCodeStore
{
    private readonly ConcurrentDictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SignInSession> _sessions = new(StringComparer.Ordinal);
    private readonly SandboxOptions _options;
    private readonly TimeProvider _time;

    public AuthorizationCodeStore(SandboxOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    public string Issue(AuthorizationRequest request, SeededUser user)
    {
        var now = _time.GetUtcNow();
        foreach (var stale in _codes.Where(c => c.Value.ExpiresAt < now - TimeSpan.FromHours(1)).Select(c => c.Key).ToList())
        {
            _codes.TryRemove(stale, out _);
        }

        // Entra's codes start "1.A" and carry far more than this; clients treat them as opaque.
        var code = "1.A" + Base64Url.Encode(RandomNumberGenerator.GetBytes(64));
        _codes[code] = new AuthorizationCode { Request = request, User = user, ExpiresAt = now.Add(_options.AuthorizationCodeLifetime) };
        return code;
    }

    public AuthorizationCode? Find(string code) => _codes.GetValueOrDefault(code);

    public bool IsExpired(AuthorizationCode code) => _time.GetUtcNow() >= code.ExpiresAt;

    /// <summary>Marks the code used; false when it already was (a replay, or a second request racing the first).</summary>
    public static bool TryRedeem(AuthorizationCode code)
    {
        lock (code)
        {
            if (code.Redeemed)
            {
                return false;
            }

            code.Redeemed = true;
            return true;
        }
    }

    public SignInSession Begin(AuthorizationRequest request)
    {
        var now = _time.GetUtcNow();
        foreach (var abandoned in _sessions.Where(s => s.Value.ExpiresAt < now).Select(s => s.Key).ToList())
        {
            _sessions.TryRemove(abandoned, out _);
        }

        var session = new SignInSession
        {
            Id = Base64Url.Encode(RandomNumberGenerator.GetBytes(32)),
            Request = request,
            ExpiresAt = now.Add(_options.SignInSessionLifetime),
        };
        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>The session a posted page names, or null when it is unknown, finished or expired.</summary>
    public SignInSession? FindSession(string id) =>
        _sessions.TryGetValue(id, out var session) && _time.GetUtcNow() < session.ExpiresAt ? session : null;

    /// <summary>Ends a session; false when another request ended it first (a double submit).</summary>
    public bool End(SignInSession session) => _sessions.TryRemove(session.Id, out _);
}

using System;
using System.Threading.Tasks;

namespace M365.Core.Authentication
{
    /// <summary>A token with its refresh point and a completed task to hand out, so cache hits allocate nothing.</summary>
    internal sealed class CachedToken
    {
        public CachedToken(AccessToken token, DateTimeOffset refreshAt, string? claims = null)
        {
            Token = token;
            RefreshAt = refreshAt;
            Claims = claims;
            Completed = Task.FromResult(token);
        }

        /// <summary>The claims challenge the token was obtained for, or null.</summary>
        public string? Claims { get; }

        public AccessToken Token { get; }

        public DateTimeOffset RefreshAt { get; }

        public Task<AccessToken> Completed { get; }
    }
}

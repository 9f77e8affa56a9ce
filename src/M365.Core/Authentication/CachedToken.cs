using System;
using System.Threading.Tasks;

namespace M365.Core.Authentication
{
    /// <summary>A token with its refresh point and a completed task to hand out, so cache hits allocate nothing.</summary>
    internal sealed class CachedToken
    {
        public CachedToken(AccessToken token, DateTimeOffset refreshAt)
        {
            Token = token;
            RefreshAt = refreshAt;
            Completed = Task.FromResult(token);
        }

        public AccessToken Token { get; }

        public DateTimeOffset RefreshAt { get; }

        public Task<AccessToken> Completed { get; }
    }
}

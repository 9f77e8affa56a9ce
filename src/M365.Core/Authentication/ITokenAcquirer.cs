using System.Threading;
using System.Threading.Tasks;
using M365.Core.Resources;

namespace M365.Core.Authentication
{
    /// <summary>
    /// Gets a new access token for a resource from the identity provider. <see cref="ResourceTokenStore"/> caches,
    /// refreshes and single-flights the calls; implementations just ask.
    /// </summary>
    public interface ITokenAcquirer
    {
        /// <summary>True when the acquirer signs in as an application (secret, certificate, managed identity), so delegated-only resources are refused.</summary>
        bool IsAppOnly { get; }

        /// <summary>Gets a token for <paramref name="resource"/>.</summary>
        /// <param name="resource">The resource whose token is wanted.</param>
        /// <param name="forceRefresh">True to skip any cache beneath (ask the identity provider for a new token).</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <exception cref="M365AuthenticationException">The identity provider refused.</exception>
        Task<AccessToken> AcquireAsync(M365Resource resource, bool forceRefresh, CancellationToken cancellationToken);
    }
}

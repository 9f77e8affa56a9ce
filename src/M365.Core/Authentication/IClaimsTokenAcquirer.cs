using System.Threading;
using System.Threading.Tasks;
using M365.Core.Resources;

namespace M365.Core.Authentication
{
    /// <summary>
    /// An acquirer that can answer a Continuous Access Evaluation challenge: it asks the identity provider for a token that
    /// satisfies the resource's claims request, never from a cache.
    /// </summary>
    internal interface IClaimsTokenAcquirer
    {
        /// <summary>Gets a new token for <paramref name="resource"/> that carries <paramref name="claims"/>.</summary>
        /// <param name="resource">The resource that challenged.</param>
        /// <param name="claims">The decoded claims request (a JSON object) from the resource's <c>WWW-Authenticate</c>.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <exception cref="M365AuthenticationException">The identity provider refused.</exception>
        Task<AccessToken> AcquireWithClaimsAsync(M365Resource resource, string claims, CancellationToken cancellationToken);
    }
}

using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Authentication.Federation
{
    /// <summary>
    /// Where a federated token (the client assertion of workload identity federation) comes from: a pipeline's OIDC
    /// endpoint, a token file, or a token the caller already has. Asked each time MSAL needs an assertion that the
    /// <see cref="FederatedAssertionProvider"/> may not reuse.
    /// </summary>
    internal interface IFederatedTokenSource
    {
        /// <summary>What the source is, for messages ("GitHub Actions", "the token file /var/run/…").</summary>
        string Name { get; }

        /// <summary>False when the source can only hand out the one token it was given (-ClientAssertion).</summary>
        bool CanRenew { get; }

        /// <summary>Gets a token (a JWT) from the source.</summary>
        /// <exception cref="M365AuthenticationException">The source gave none; the id says why.</exception>
        Task<string> GetTokenAsync(CancellationToken cancellationToken);
    }
}

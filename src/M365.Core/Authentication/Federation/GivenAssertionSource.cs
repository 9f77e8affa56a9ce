using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Authentication.Federation
{
    /// <summary>A federated token the caller already has (-ClientAssertion): the same one every time, so it cannot outlive its expiry.</summary>
    internal sealed class GivenAssertionSource : IFederatedTokenSource
    {
        private readonly SecureString _assertion;

        public GivenAssertionSource(SecureString assertion) => _assertion = assertion;

        public string Name => "the -ClientAssertion token";

        public bool CanRenew => false;

        public Task<string> GetTokenAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(MsalSetup.Reveal(_assertion).Trim());
        }
    }
}

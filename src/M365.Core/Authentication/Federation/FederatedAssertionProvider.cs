using System;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Authentication.Federation
{
    /// <summary>
    /// Hands MSAL a client assertion whenever it asks (its <c>WithClientAssertion</c> callback): the last one again only
    /// while it has more than <see cref="ReuseMargin"/> left, else a new one from the source. A pipeline's tokens live
    /// minutes and MSAL asks at every token request, so a long run never presents an expired assertion.
    /// </summary>
    internal sealed class FederatedAssertionProvider
    {
        /// <summary>An assertion is reused only while it has more than this left (Entra ID checks exp when it receives it).</summary>
        public static readonly TimeSpan ReuseMargin = TimeSpan.FromMinutes(1);

        private readonly IFederatedTokenSource _source;
        private readonly TimeProvider _time;
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private string? _current;
        private PresentedAssertion? _presented;
        private int _fetched;

        public FederatedAssertionProvider(IFederatedTokenSource source, TimeProvider time)
        {
            _source = source;
            _time = time;
        }

        public IFederatedTokenSource Source => _source;

        /// <summary>How many tokens were taken from the source.</summary>
        public int FetchCount => Volatile.Read(ref _fetched);

        /// <summary>The claims of the assertion handed out last (for error messages), or null before the first.</summary>
        public PresentedAssertion? LastPresented => Volatile.Read(ref _presented);

        public async Task<string> GetAssertionAsync(CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_current != null && (!_source.CanRenew || Reusable(_presented!)))
                {
                    return _current;
                }

                string token = await _source.GetTokenAsync(cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _fetched);
                _current = token;
                Volatile.Write(ref _presented, PresentedAssertion.Read(token));
                return token;
            }
            finally
            {
                _gate.Release();
            }
        }

        private bool Reusable(PresentedAssertion presented) =>
            presented.ExpiresOn is { } exp && exp - _time.GetUtcNow() > ReuseMargin;
    }
}

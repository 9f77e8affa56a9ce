using System.Threading;
using System.Threading.Tasks;
using M365.Core.Resources;

namespace M365.Core.Authentication
{
    /// <summary>One sign-in mode over one MSAL application: the first (possibly interactive) sign-in, then silent acquisition.</summary>
    internal interface ISignInFlow : ITokenAcquirer, IClaimsTokenAcquirer
    {
        /// <summary>The signed-in user's UPN or the application's name, once known.</summary>
        string? Identity { get; }

        /// <summary>The first sign-in, for <paramref name="resource"/>; the only step that may prompt the user.</summary>
        Task<AccessToken> SignInAsync(M365Resource resource, CancellationToken cancellationToken);

        /// <summary>Removes the accounts and tokens of this flow from MSAL's cache.</summary>
        Task SignOutAsync(CancellationToken cancellationToken);
    }
}

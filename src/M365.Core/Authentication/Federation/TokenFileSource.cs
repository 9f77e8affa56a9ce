using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Authentication.Federation
{
    /// <summary>
    /// A token file kept fresh by someone else (Kubernetes' projected service account token, AZURE_FEDERATED_TOKEN_FILE):
    /// read again each time a new assertion is needed, since the kubelet rewrites it before it expires.
    /// </summary>
    internal sealed class TokenFileSource : IFederatedTokenSource
    {
        public const string FileVariable = "AZURE_FEDERATED_TOKEN_FILE";

        private const int MaxLength = 64 * 1024;

        public TokenFileSource(string path) => Path = path;

        public string Path { get; }

        public string Name => $"the token file '{Path}'";

        public bool CanRenew => true;

        public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string text;
            try
            {
                // ReadWrite|Delete sharing: the kubelet replaces the file (an atomic symlink swap) while it may be open here.
                using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
                var buffer = new byte[MaxLength + 1];
                int read = 0;
                int got;
                while (read < buffer.Length && (got = await stream.ReadAsync(buffer, read, buffer.Length - read, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    read += got;
                }

                if (read > MaxLength)
                {
                    throw Unreadable("it is larger than a token can be (64 KB)", null);
                }

                text = Encoding.UTF8.GetString(buffer, 0, read).Trim().TrimStart('\uFEFF');
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                throw new M365AuthenticationException(
                    AuthenticationErrorIds.FederatedTokenFileNotFound,
                    $"The federated token file '{Path}' does not exist.",
                    "Check -FederatedTokenFile or AZURE_FEDERATED_TOKEN_FILE; in Kubernetes, label the pod azure.workload.identity/use: \"true\" and give it a service account annotated with azure.workload.identity/client-id.",
                    target: Path,
                    innerException: ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw Unreadable("you may not read it", ex);
            }
            catch (IOException ex)
            {
                throw Unreadable(SecretRedactor.Redact(ex.Message).Trim().TrimEnd('.'), ex);
            }

            if (text.Length == 0)
            {
                throw Unreadable("it is empty", null);
            }

            if (JwtPayloadReader.ReadClaims(text).Count == 0)
            {
                throw Unreadable("it does not hold a JWT", null);
            }

            return text;
        }

        private M365AuthenticationException Unreadable(string reason, Exception? inner) =>
            new M365AuthenticationException(
                AuthenticationErrorIds.FederatedTokenFileUnreadable,
                $"The federated token file '{Path}' cannot be used: {reason}.",
                "Point -FederatedTokenFile or AZURE_FEDERATED_TOKEN_FILE at the file that holds the workload's token (one JWT), readable by this user.",
                target: Path,
                innerException: inner);
    }
}

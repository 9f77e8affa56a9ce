using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace M365.Core.Http
{
    /// <summary>Accepts exactly one server certificate: the one whose DER bytes hash to the pin.</summary>
    internal static class CertificatePin
    {
        public static bool Matches(X509Certificate? certificate, byte[] pin)
        {
            if (certificate is null || pin is null || pin.Length != 32)
            {
                return false;
            }

            byte[] actual;
            using (SHA256 sha = SHA256.Create())
            {
                actual = sha.ComputeHash(certificate.GetRawCertData());
            }

            // Constant-time: the comparison time must not reveal how much of a forged certificate's hash matched.
            int difference = 0;
            for (int i = 0; i < pin.Length; i++)
            {
                difference |= actual[i] ^ pin[i];
            }

            return difference == 0;
        }
    }
}

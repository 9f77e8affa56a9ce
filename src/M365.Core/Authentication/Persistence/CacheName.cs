using System;
using System.Security.Cryptography;
using System.Text;

namespace M365.Core.Authentication.Persistence
{
    /// <summary>Turns a connection name into a file-name stem that cannot escape the cache directory.</summary>
    internal static class CacheName
    {
        private const int MaxReadableLength = 48;

        public static string From(string connectionName)
        {
            if (string.IsNullOrWhiteSpace(connectionName))
            {
                throw new ArgumentException("A connection name is required.", nameof(connectionName));
            }

            // Connection names are case-insensitive (Connect-M365 -Name), and so are the file systems of Windows and macOS.
            string normalized = connectionName.Trim().ToUpperInvariant();
            var readable = new StringBuilder(MaxReadableLength);
            foreach (char c in connectionName.Trim().ToLowerInvariant())
            {
                if (readable.Length == MaxReadableLength)
                {
                    break;
                }

                readable.Append(IsSafe(c) ? c : '_');
            }

            // A leading dot would make a hidden file, and "." or ".." a directory reference.
            string stem = readable.ToString().TrimStart('.');
            return (stem.Length == 0 ? "connection" : stem) + "-" + Hash(normalized);
        }

        private static bool IsSafe(char c) =>
            (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '@';

        private static string Hash(string text)
        {
            using (SHA256 sha = SHA256.Create())
            {
                byte[] digest = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
                var hex = new StringBuilder(16);
                for (int i = 0; i < 8; i++)
                {
                    hex.Append(digest[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                }

                return hex.ToString();
            }
        }
    }
}

using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text.Json;

namespace M365.Core.Http
{
    /// <summary>
    /// How to reach a local sandbox tenant: the descriptor JSON the sandbox writes
    /// (<c>{"url","port","certificateSha256","caCertificatePath","tenantName","tenantId","controlUrl","certificateSpkiSha256"}</c>).
    /// </summary>
    public sealed class SandboxDescriptor
    {
        private SandboxDescriptor(Uri url, int port, byte[] certificatePin, string? caCertificatePath, string? tenantName, string? tenantId, Uri? controlUrl, string? certificateSpkiSha256)
        {
            CertificateSpkiSha256 = certificateSpkiSha256;
            Url = url;
            Port = port;
            CertificatePin = certificatePin;
            CaCertificatePath = caCertificatePath;
            TenantName = tenantName;
            TenantId = tenantId;
            ControlUrl = controlUrl;
        }

        /// <summary>The sandbox listener, e.g. <c>https://127.0.0.1:5443</c>. Always a loopback address.</summary>
        public Uri Url { get; }

        /// <summary>The listener's port.</summary>
        public int Port { get; }

        /// <summary>The lower-case hex SHA-256 of the server's leaf certificate (DER), the only certificate accepted.</summary>
        public string CertificateSha256 => ToHex(CertificatePin);

        /// <summary>The path of the sandbox CA certificate (for Node clients), or null.</summary>
        public string? CaCertificatePath { get; }

        /// <summary>The SharePoint tenant name of the sandbox tenant (e.g. <c>contoso</c>), or null.</summary>
        public string? TenantName { get; }

        /// <summary>The sandbox tenant's id, or null.</summary>
        public string? TenantId { get; }

        /// <summary>
        /// Base64 SHA-256 of the leaf certificate's SubjectPublicKeyInfo (what Chromium's <c>--ignore-certificate-errors-spki-list</c>
        /// takes), or null when the sandbox is older than browser sign-in.
        /// </summary>
        public string? CertificateSpkiSha256 { get; }

        /// <summary>The sandbox control endpoint, or null.</summary>
        public Uri? ControlUrl { get; }

        internal byte[] CertificatePin { get; }

        /// <summary>Reads a descriptor file.</summary>
        /// <param name="path">The descriptor's path.</param>
        /// <exception cref="M365Exception"><see cref="TransportErrorIds.SandboxDescriptorNotFound"/> or <see cref="TransportErrorIds.SandboxDescriptorInvalid"/>.</exception>
        public static SandboxDescriptor Load(string path)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException("The sandbox descriptor path is required.", nameof(path));
            }

            if (Directory.Exists(path))
            {
                throw new M365Exception(
                    TransportErrorIds.SandboxDescriptorNotFound,
                    $"The sandbox descriptor '{path}' is a folder, not the sandbox.json file.",
                    "Point $env:M365_SANDBOX at the sandbox.json the sandbox wrote (it prints the path when it starts).",
                    path);
            }

            string json;
            try
            {
                json = ReadBounded(path);
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                throw new M365Exception(
                    TransportErrorIds.SandboxDescriptorNotFound,
                    $"The sandbox descriptor '{path}' does not exist.",
                    "Start the sandbox first; it writes the descriptor when it listens.",
                    path,
                    ex);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                throw new M365Exception(
                    TransportErrorIds.SandboxDescriptorInvalid,
                    $"The sandbox descriptor '{path}' could not be read: {ex.Message}",
                    "Point $env:M365_SANDBOX at the sandbox.json the sandbox wrote, and check that you may read it.",
                    path,
                    ex);
            }

            return Parse(json, path);
        }

        /// <summary>Parses descriptor JSON.</summary>
        /// <param name="json">The descriptor text.</param>
        /// <param name="source">Where it came from, for error messages.</param>
        /// <exception cref="M365Exception"><see cref="TransportErrorIds.SandboxDescriptorInvalid"/>.</exception>
        public static SandboxDescriptor Parse(string json, string source = "sandbox descriptor")
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(json ?? string.Empty);
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw Invalid(source, "it is not a JSON object");
                }

                string urlText = RequiredString(root, "url", source);
                if (!Uri.TryCreate(urlText, UriKind.Absolute, out Uri? url) || url.Scheme != Uri.UriSchemeHttps
                    || !IPAddress.TryParse(url.Host, out IPAddress? address) || !IPAddress.IsLoopback(address))
                {
                    throw Invalid(source, $"'url' must be an https URL on a loopback address, not '{urlText}'");
                }

                if (!root.TryGetProperty("port", out JsonElement portElement) || !portElement.TryGetInt32(out int port) || port < 1 || port > 65535)
                {
                    throw Invalid(source, "'port' must be a number from 1 to 65535");
                }

                if (url.Port != port)
                {
                    throw Invalid(source, $"'url' uses port {url.Port} but 'port' is {port}");
                }

                byte[]? pin = ParseHex(RequiredString(root, "certificateSha256", source));
                if (pin is null || pin.Length != 32)
                {
                    throw Invalid(source, "'certificateSha256' must be 64 hexadecimal characters");
                }

                string? controlText = OptionalString(root, "controlUrl");
                Uri? controlUrl = controlText != null && Uri.TryCreate(controlText, UriKind.Absolute, out Uri? parsed) ? parsed : null;
                return new SandboxDescriptor(
                    url,
                    port,
                    pin,
                    OptionalString(root, "caCertificatePath"),
                    OptionalString(root, "tenantName"),
                    OptionalString(root, "tenantId"),
                    controlUrl,
                    OptionalString(root, "certificateSpkiSha256"));
            }
            catch (JsonException ex)
            {
                throw Invalid(source, "it is not valid JSON (" + ex.Message + ")", ex);
            }
            catch (InvalidOperationException ex)
            {
                throw Invalid(source, "a field has the wrong type", ex);
            }
            catch (ArgumentException ex)
            {
                // The text itself is not valid UTF-16 (a lone surrogate), so it cannot be JSON.
                throw Invalid(source, "it is not valid text (" + ex.Message + ")", ex);
            }
        }

        /// <inheritdoc />
        public override string ToString() => "Sandbox " + Url;

        /// <summary>A descriptor is a few hundred bytes; anything over this is not one (and /dev/zero never ends).</summary>
        internal const int MaxDescriptorBytes = 16 * 1024;

        private static string ReadBounded(string path)
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 4096))
            {
                var buffer = new byte[MaxDescriptorBytes + 1];
                int length = 0;
                int read;
                while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
                {
                    length += read;
                }

                if (length > MaxDescriptorBytes)
                {
                    throw Invalid(path, $"it is larger than {MaxDescriptorBytes / 1024} KB, so it is not a sandbox descriptor");
                }

                return new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetString(buffer, 0, length).TrimStart('\uFEFF');
            }
        }

        internal static byte[]? ParseHex(string hex)
        {
            if (hex.Length % 2 != 0)
            {
                return null;
            }

            var bytes = new byte[hex.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                if (!byte.TryParse(hex.Substring(i * 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
                {
                    return null;
                }
            }

            return bytes;
        }

        private static string ToHex(byte[] bytes)
        {
            var chars = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                string pair = bytes[i].ToString("x2", CultureInfo.InvariantCulture);
                chars[i * 2] = pair[0];
                chars[(i * 2) + 1] = pair[1];
            }

            return new string(chars);
        }

        private static string RequiredString(JsonElement root, string name, string source) =>
            OptionalString(root, name) ?? throw Invalid(source, $"the field '{name}' is missing");

        private static string? OptionalString(JsonElement root, string name) =>
            root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0
                ? value.GetString()
                : null;

        private static M365Exception Invalid(string source, string problem, Exception? inner = null) =>
            new M365Exception(
                TransportErrorIds.SandboxDescriptorInvalid,
                $"The sandbox descriptor '{source}' is invalid: {problem}.",
                "Restart the sandbox so it writes a fresh descriptor.",
                source,
                inner);
    }
}

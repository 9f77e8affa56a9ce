namespace M365.Core.Http
{
    /// <summary>Stable ids of transport and sandbox-connection errors.</summary>
    public static class TransportErrorIds
    {
        /// <summary>The sandbox descriptor file does not exist.</summary>
        public const string SandboxDescriptorNotFound = "SandboxDescriptorNotFound";

        /// <summary>The sandbox descriptor is not valid JSON or lacks a required field.</summary>
        public const string SandboxDescriptorInvalid = "SandboxDescriptorInvalid";

        /// <summary>A request over plain http was refused.</summary>
        public const string InsecureRequestRefused = "InsecureRequestRefused";
    }
}

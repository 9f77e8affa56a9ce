using System.Collections.Generic;
using M365.Core.Http;

namespace M365.Core.Diagnostics
{
    /// <summary>What Test-M365Connection tells the checks that the connection does not know itself.</summary>
    public sealed class DiagnosticsOptions
    {
        /// <summary>The module's version, for the report.</summary>
        public string? ModuleVersion { get; set; }

        /// <summary>The PowerShell version and edition, for the report.</summary>
        public string? PowerShellVersion { get; set; }

        /// <summary>The resources to check (names or URLs); empty for every resource the connection has a token for (Graph when none).</summary>
        public IReadOnlyList<string> Resources { get; set; } = new string[0];

        /// <summary>The request sender for the read-only Graph calls (one reporting -Verbose lines); null for the connection's own.</summary>
        public ResourceRequestSender? Sender { get; set; }
    }
}

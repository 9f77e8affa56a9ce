using System.Collections.Generic;

namespace M365.Core.Diagnostics
{
    /// <summary>What <see cref="ConnectionDoctor.RunAsync"/> found: the checks, and the inputs it could not check.</summary>
    public sealed class DiagnosticsReport
    {
        internal DiagnosticsReport(IReadOnlyList<ConnectionCheck> checks, IReadOnlyList<M365Exception> errors)
        {
            Checks = checks;
            Errors = errors;
        }

        /// <summary>One entry per check, in a stable order: the session, each resource, the cmdlets' permissions, the app registration, the session's errors.</summary>
        public IReadOnlyList<ConnectionCheck> Checks { get; }

        /// <summary>The errors of resource names that could not be resolved (each with its target).</summary>
        public IReadOnlyList<M365Exception> Errors { get; }
    }
}

namespace M365.Core.Diagnostics
{
    /// <summary>The outcome of one check.</summary>
    public enum CheckResult
    {
        /// <summary>Fine.</summary>
        Pass,

        /// <summary>Works, or could not be checked, but deserves a look.</summary>
        Warning,

        /// <summary>Does not work; <see cref="ConnectionCheck.Fix"/> says what to do.</summary>
        Fail,
    }

    /// <summary>One check of Test-M365Connection: its name, its result, what was seen and what to do. Never a token.</summary>
    public sealed class ConnectionCheck
    {
        /// <summary>Creates the check.</summary>
        public ConnectionCheck(string check, CheckResult result, string evidence, string? fix = null, string? resource = null)
        {
            Check = check;
            Result = result;
            Evidence = evidence;
            Fix = fix;
            Resource = resource;
        }

        /// <summary>The check's name (AppId, Token, Permission:Get-M365AadSp, …).</summary>
        public string Check { get; }

        /// <summary>Pass, Warning or Fail.</summary>
        public CheckResult Result { get; }

        /// <summary>What was seen.</summary>
        public string Evidence { get; }

        /// <summary>What to do; null when there is nothing to do.</summary>
        public string? Fix { get; }

        /// <summary>The resource the check is about, or null.</summary>
        public string? Resource { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Check}: {Result} ({Evidence})";
    }
}

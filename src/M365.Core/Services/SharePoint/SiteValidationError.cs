namespace M365.Core.Services.SharePoint
{
    /// <summary>One broken rule of a site creation request.</summary>
    public sealed class SiteValidationError
    {
        internal SiteValidationError(string rule, string parameter, string message)
        {
            Rule = rule;
            Parameter = parameter;
            Message = message;
        }

        /// <summary>The rule's name, e.g. <c>TeamSiteNeedsAlias</c>.</summary>
        public string Rule { get; }

        /// <summary>The parameter at fault, e.g. <c>Alias</c>.</summary>
        public string Parameter { get; }

        /// <summary>What is wrong and what to do.</summary>
        public string Message { get; }

        /// <inheritdoc />
        public override string ToString() => Rule + ": " + Message;
    }
}

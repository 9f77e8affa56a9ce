namespace M365.Core.Services.Graph
{
    /// <summary>The outcome of one lookup of a batch: the service principal, or the error for that input alone.</summary>
    public sealed class ServicePrincipalResult
    {
        internal ServicePrincipalResult(ServicePrincipalLookup lookup, ServicePrincipal? value, M365ServiceException? error)
        {
            Lookup = lookup;
            Value = value;
            Error = error;
        }

        /// <summary>The input.</summary>
        public ServicePrincipalLookup Lookup { get; }

        /// <summary>The service principal, or null on error.</summary>
        public ServicePrincipal? Value { get; }

        /// <summary>
        /// The error, or null: <see cref="ServiceErrorIds.ServicePrincipalNotFound"/> when nothing matched, else the
        /// <see cref="Http.HttpErrorIds"/> of the item's failure; its target is the looked-up id.
        /// </summary>
        public M365ServiceException? Error { get; }

        /// <summary>True when <see cref="Value"/> is set.</summary>
        public bool IsSuccess => Error is null;
    }
}

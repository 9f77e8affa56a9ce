namespace M365.Core.Authentication.Persistence
{
    /// <summary>Stable ids of persisted-connection errors (<see cref="M365Exception.ErrorId"/>). Cache errors use <see cref="AuthenticationErrorIds"/>.</summary>
    public static class PersistenceErrorIds
    {
        /// <summary>No persisted connection has the given name (Connect-M365 -Name).</summary>
        public const string PersistedConnectionNotFound = "PersistedConnectionNotFound";

        /// <summary>The persisted connection record is unreadable, or does not fit this session (e.g. sandbox versus production).</summary>
        public const string PersistedConnectionInvalid = "PersistedConnectionInvalid";
    }
}

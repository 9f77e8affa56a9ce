namespace M365.Core.Resources
{
    /// <summary>Stable ids of errors raised while resolving a resource.</summary>
    public static class ResourceErrorIds
    {
        /// <summary>The URL is relative or does not use https; tokens are only ever sent over https.</summary>
        public const string ResourceUrlNotHttps = "ResourceUrlNotHttps";

        /// <summary>The name is neither a known resource name nor an absolute https URL.</summary>
        public const string ResourceNameUnknown = "ResourceNameUnknown";

        /// <summary>A SharePoint resource was asked for before the SharePoint tenant name is known.</summary>
        public const string SharePointTenantUnknown = "SharePointTenantUnknown";

        /// <summary>The SharePoint tenant name is not a valid host label.</summary>
        public const string SharePointTenantInvalid = "SharePointTenantInvalid";

        /// <summary>The service does not exist in the connection's cloud (e.g. Yammer outside Public).</summary>
        public const string ResourceNotInCloud = "ResourceNotInCloud";

        /// <summary>
        /// -Resource names a Microsoft audience (Graph, SharePoint, …) for a URL outside its host, or the caller's own audience
        /// for a Microsoft host; nothing was sent.
        /// </summary>
        public const string ResourceHostMismatch = "ResourceHostMismatch";
    }
}

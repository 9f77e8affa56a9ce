using System;

namespace M365.Core.Registration
{
    /// <summary>A resource (API) a registration can ask permissions of: the name used in <c>-Permission</c> and its app id.</summary>
    public sealed class RegisteredResource
    {
        internal RegisteredResource(string name, string appId)
        {
            Name = name;
            AppId = appId;
        }

        /// <summary>SharePoint, Graph, Management, AzureServiceManagement or Yammer.</summary>
        public string Name { get; }

        /// <summary>The resource's first-party app id.</summary>
        public string AppId { get; }

        public static readonly RegisteredResource SharePoint = new RegisteredResource("SharePoint", "00000003-0000-0ff1-ce00-000000000000");
        public static readonly RegisteredResource Graph = new RegisteredResource("Graph", "00000003-0000-0000-c000-000000000000");
        public static readonly RegisteredResource Management = new RegisteredResource("Management", "c5393580-f805-4401-95e8-94b7a6ef2fc2");
        public static readonly RegisteredResource AzureServiceManagement = new RegisteredResource("AzureServiceManagement", "797f4846-ba00-4fd7-ba43-dac1f8f63013");
        public static readonly RegisteredResource Yammer = new RegisteredResource("Yammer", "00000005-0000-0ff1-ce00-000000000000");

        // Azure AD Graph (00000002-0000-0000-c000-000000000000) was retired on 2025-08-31: it is not offered.
        internal static readonly RegisteredResource[] All = { SharePoint, Graph, Management, AzureServiceManagement, Yammer };

        /// <summary>The resource of a name (ignoring case; "MicrosoftGraph" and "Office365Management" are accepted too), or null.</summary>
        public static RegisteredResource? Find(string name)
        {
            foreach (var resource in All)
            {
                if (string.Equals(resource.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(resource.AppId, name, StringComparison.OrdinalIgnoreCase))
                {
                    return resource;
                }
            }

            return name.Equals("MicrosoftGraph", StringComparison.OrdinalIgnoreCase) ? Graph
                : name.Equals("Office365Management", StringComparison.OrdinalIgnoreCase) ? Management
                : null;
        }

        public override string ToString() => Name;
    }
}

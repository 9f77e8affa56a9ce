using System;
using System.Collections.Generic;
using System.Linq;

namespace M365.Core.Registration
{
    /// <summary>One permission asked for, delegated (a scope) or, for an app-only registration, an application permission (an app role): <c>resource/name</c>, e.g. <c>Graph/User.Read</c>.</summary>
    public sealed class PermissionRequest
    {
        public PermissionRequest(RegisteredResource resource, string name)
        {
            Resource = resource ?? throw new ArgumentNullException(nameof(resource));
            Name = name ?? throw new ArgumentNullException(nameof(name));
        }

        public RegisteredResource Resource { get; }

        public string Name { get; }

        /// <summary>The preset of the module's documented permission list (the CLI for Microsoft 365's, without Azure AD Graph).</summary>
        public const string DefaultPreset = "Default";

        /// <summary>The preset of the smallest usable set: Graph User.Read.</summary>
        public const string MinimalPreset = "Minimal";

        private static readonly (RegisteredResource Resource, string[] Names)[] Defaults =
        {
            (RegisteredResource.SharePoint, new[] { "AllSites.FullControl", "User.Read.All", "TermStore.ReadWrite.All" }),
            (RegisteredResource.Graph, new[]
            {
                "AppCatalog.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All", "IdentityProvider.ReadWrite.All",
                "Mail.ReadWrite", "Mail.Send", "Reports.Read.All", "TeamsAppInstallation.ReadWriteForUser", "User.Invite.All", "Tasks.ReadWrite",
            }),
            (RegisteredResource.Management, new[] { "ServiceHealth.Read" }),
            (RegisteredResource.AzureServiceManagement, new[] { "user_impersonation" }),
            (RegisteredResource.Yammer, new[] { "user_impersonation" }),
        };

        /// <summary>
        /// The app-only default: what the module's own cmdlets need app-only, as <c>CmdletPermissions</c> (Test-M365Connection)
        /// lists it, and no more (an application permission acts on the whole tenant, with no user to narrow it):
        /// Graph Application.Read.All (Get-M365AadSp), Graph Sites.Read.All (lets Connect-M365 find the tenant's SharePoint
        /// host through Graph, as a delegated connection does), and SharePoint Sites.FullControl.All (Get-M365SpoSite,
        /// Add-M365SpoSite: SharePoint's REST API takes no narrower app role for creating sites). No Yammer, Management or Azure
        /// Service Management: app-only Yammer is refused by the module, and the others have no cmdlet that needs them.
        /// </summary>
        private static readonly (RegisteredResource Resource, string[] Names)[] AppOnlyDefaults =
        {
            (RegisteredResource.Graph, new[] { "Application.Read.All", "Sites.Read.All" }),
            (RegisteredResource.SharePoint, new[] { "Sites.FullControl.All" }),
        };

        /// <summary>
        /// The permissions of <c>-Permission</c> values: presets (<c>Default</c>, <c>Minimal</c>) and <c>resource/name</c> values,
        /// in order, without repeats. Null or empty: the default set.
        /// </summary>
        /// <exception cref="M365Exception"><see cref="RegistrationErrorIds.PermissionNotFound"/> for a value that is neither.</exception>
        public static IReadOnlyList<PermissionRequest> Parse(IEnumerable<string>? values) => Parse(values, appOnly: false);

        /// <summary>
        /// As <see cref="Parse(IEnumerable{string})"/>; with <paramref name="appOnly"/> the presets are the application
        /// permissions: <c>Default</c> Graph Application.Read.All and Sites.Read.All and SharePoint Sites.FullControl.All,
        /// <c>Minimal</c> Graph Application.Read.All.
        /// </summary>
        /// <exception cref="M365Exception"><see cref="RegistrationErrorIds.PermissionNotFound"/> for a value that is neither.</exception>
        public static IReadOnlyList<PermissionRequest> Parse(IEnumerable<string>? values, bool appOnly)
        {
            var list = values?.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).ToList() ?? new List<string>();
            if (list.Count == 0)
            {
                list.Add(DefaultPreset);
            }

            var result = new List<PermissionRequest>();
            foreach (var value in list)
            {
                foreach (var request in Expand(value, appOnly))
                {
                    if (!result.Any(r => r.Resource == request.Resource && string.Equals(r.Name, request.Name, StringComparison.OrdinalIgnoreCase)))
                    {
                        result.Add(request);
                    }
                }
            }

            return result;
        }

        private static IEnumerable<PermissionRequest> Expand(string value, bool appOnly)
        {
            if (value.Equals(DefaultPreset, StringComparison.OrdinalIgnoreCase))
            {
                return (appOnly ? AppOnlyDefaults : Defaults).SelectMany(d => d.Names.Select(n => new PermissionRequest(d.Resource, n)));
            }

            if (value.Equals(MinimalPreset, StringComparison.OrdinalIgnoreCase))
            {
                return new[] { new PermissionRequest(RegisteredResource.Graph, appOnly ? "Application.Read.All" : "User.Read") };
            }

            int slash = value.IndexOf('/');
            var resource = slash > 0 ? RegisteredResource.Find(value.Substring(0, slash).Trim()) : null;
            var name = slash > 0 ? value.Substring(slash + 1).Trim() : string.Empty;
            if (resource is null || name.Length == 0)
            {
                throw new M365Exception(
                    RegistrationErrorIds.PermissionNotFound,
                    $"The permission '{value}' is neither a preset (Default, Minimal) nor '<resource>/<name>' with a resource of {string.Join(", ", RegisteredResource.All.Select(r => r.Name))}.",
                    "Write it as, for example, Graph/User.Read or SharePoint/AllSites.FullControl.",
                    value);
            }

            return new[] { new PermissionRequest(resource, name) };
        }

        public override string ToString() => Resource.Name + "/" + Name;
    }
}

using System;
using System.Globalization;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using M365.Core.Http;
using M365.Core.Resources;

namespace M365.Core.Services.SharePoint
{
    /// <summary>
    /// The CSOM bodies of the Tenant's site administration (GetSitePropertiesFromSharePointByFilters as the CLI for
    /// Microsoft 365's <c>spo site list</c> sends it, GetSitePropertiesByUrl, RemoveSite, RemoveDeletedSite,
    /// RestoreDeletedSite), and the reading of SiteProperties (CSOM's <c>/Guid(…)/</c> and <c>/Date(…)/</c> values).
    /// </summary>
    internal static class CsomTenantSites
    {
        public const string NoSiteException = "SpoNoSiteException";
        private const string Head = "<Request AddExpandoFieldTypeSuffix=\"true\" SchemaVersion=\"15.0.0.0\" LibraryVersion=\"16.0.0.0\" ApplicationName=\"M365\" xmlns=\"http://schemas.microsoft.com/sharepoint/clientquery/2009\">";
        private const string Tenant = "<Constructor Id=\"1\" TypeId=\"{268004ae-ef6b-4e9b-8425-127220d84719}\" />";
        private const string OperationQuery = "<Query SelectAllProperties=\"false\"><Properties><Property Name=\"IsComplete\" ScalarProperty=\"true\" /><Property Name=\"PollingInterval\" ScalarProperty=\"true\" /></Properties></Query>";
        private static readonly Regex s_csomDate = new Regex(@"^/Date\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/$", RegexOptions.CultureInvariant);
        private static readonly string[] s_sharing = { "Disabled", "ExternalUserSharingOnly", "ExternalUserAndGuestSharing", "ExistingExternalUserSharingOnly" };

        /// <summary>One page of the tenant's sites: <paramref name="startIndex"/> is "0" or the last page's NextStartIndexFromSharePoint.</summary>
        public static string ListSites(string filter, string template, bool includePersonal, string startIndex) =>
            Head
            + "<Actions><ObjectPath Id=\"2\" ObjectPathId=\"1\" /><ObjectPath Id=\"4\" ObjectPathId=\"3\" /><Query Id=\"5\" ObjectPathId=\"3\"><Query SelectAllProperties=\"true\"><Properties /></Query><ChildItemQuery SelectAllProperties=\"true\"><Properties /></ChildItemQuery></Query></Actions>"
            + "<ObjectPaths>" + Tenant + "<Method Id=\"3\" ParentId=\"1\" Name=\"GetSitePropertiesFromSharePointByFilters\"><Parameters><Parameter TypeId=\"{b92aeee2-c92c-4b67-abcc-024e471bc140}\">"
            + Property("Filter", "String", filter)
            + Property("IncludeDetail", "Boolean", "false")
            + Property("IncludePersonalSite", "Enum", includePersonal ? "1" : "0")
            + Property("StartIndex", "String", startIndex)
            + Property("Template", "String", template)
            + "</Parameter></Parameters></Method></ObjectPaths></Request>";

        /// <summary>GetSitePropertiesByUrl(url, includeDetail: true), all properties.</summary>
        public static string SiteByUrl(string url) =>
            Head
            + "<Actions><ObjectPath Id=\"2\" ObjectPathId=\"1\" /><ObjectPath Id=\"4\" ObjectPathId=\"3\" /><Query Id=\"5\" ObjectPathId=\"3\"><Query SelectAllProperties=\"true\"><Properties /></Query></Query></Actions>"
            + "<ObjectPaths>" + Tenant + "<Method Id=\"3\" ParentId=\"1\" Name=\"GetSitePropertiesByUrl\"><Parameters><Parameter Type=\"String\">" + SecurityElement.Escape(url)
            + "</Parameter><Parameter Type=\"Boolean\">true</Parameter></Parameters></Method></ObjectPaths></Request>";

        /// <summary>A Tenant method that takes a site URL and returns an SpoOperation (RemoveSite, RemoveDeletedSite, RestoreDeletedSite).</summary>
        public static string SiteOperation(string method, string url) =>
            Head
            + "<Actions><ObjectPath Id=\"2\" ObjectPathId=\"1\" /><ObjectPath Id=\"4\" ObjectPathId=\"3\" /><Query Id=\"5\" ObjectPathId=\"3\">" + OperationQuery + "</Query></Actions>"
            + "<ObjectPaths>" + Tenant + "<Method Id=\"3\" ParentId=\"1\" Name=\"" + method + "\"><Parameters><Parameter Type=\"String\">" + SecurityElement.Escape(url)
            + "</Parameter></Parameters></Method></ObjectPaths></Request>";

        /// <summary>POSTs a CSOM request to the admin host's ProcessQuery and reads its JSON answer (an array).</summary>
        public static async Task<JsonDocument> ProcessQueryAsync(ResourceRequestSender sender, M365Resource admin, string xml, RequestKind kind, CancellationToken cancellationToken)
        {
            var url = new Uri(admin.Origin, "_vti_bin/client.svc/ProcessQuery");
            byte[] body = Encoding.UTF8.GetBytes(xml);
            using HttpResponseMessage response = await sender.SendAsync(
                () => new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "text/xml" } } } },
                kind,
                cancellationToken).ConfigureAwait(false);
            return (await ResponseJsonReader.ReadAsync(response, "POST", url.AbsoluteUri, allowEmpty: false).ConfigureAwait(false))!;
        }

        /// <summary>The error type of the answer (ErrorTypeName), or null.</summary>
        public static string? ErrorTypeOf(JsonElement answer) =>
            answer.ValueKind == JsonValueKind.Array && answer.GetArrayLength() > 0 && answer[0].ValueKind == JsonValueKind.Object
            && answer[0].TryGetProperty("ErrorInfo", out JsonElement info) && info.ValueKind == JsonValueKind.Object
                ? JsonValues.String(info, "ErrorTypeName")
                : null;

        /// <summary>The last entry of the answer, when it is an object (the queried result).</summary>
        public static JsonElement? Result(JsonElement answer)
        {
            if (answer.ValueKind != JsonValueKind.Array || answer.GetArrayLength() == 0)
            {
                return null;
            }

            JsonElement last = answer[answer.GetArrayLength() - 1];
            return last.ValueKind == JsonValueKind.Object ? last : (JsonElement?)null;
        }

        /// <summary>A site from a SiteProperties object; null when it has no Url.</summary>
        public static SpoSite? Site(JsonElement properties)
        {
            if (properties.ValueKind != JsonValueKind.Object || JsonValues.String(properties, "Url") is not { Length: > 0 } url)
            {
                return null;
            }

            string? status = JsonValues.String(properties, "Status");
            var details = new SpoSiteDetails
            {
                Owner = NonEmpty(JsonValues.String(properties, "Owner")),
                StorageUsageMB = Long(properties, "StorageUsage"),
                StorageQuotaMB = Long(properties, "StorageMaximumLevel"),
                SharingCapability = JsonValues.Int(properties, "SharingCapability") is int s && s >= 0 && s < s_sharing.Length ? s_sharing[s] : null,
                LockState = NonEmpty(JsonValues.String(properties, "LockState")),
                HubSiteId = Guid(properties, "HubSiteId"),
            };
            return new SpoSite(
                url.TrimEnd('/'),
                string.Equals(status, "Creating", StringComparison.OrdinalIgnoreCase) ? SpoSiteStatus.Provisioning : SpoSiteStatus.Ready,
                Guid(properties, "SiteId"),
                Guid(properties, "GroupId"),
                JsonValues.String(properties, "Title"),
                NonEmpty(JsonValues.String(properties, "Template")),
                Date(properties, "CreatedTime"),
                details);
        }

        /// <summary>CSOM writes a Guid as "/Guid(…)/"; the empty Guid means none.</summary>
        public static Guid? Guid(JsonElement obj, string name)
        {
            string? text = JsonValues.String(obj, name);
            if (text is null)
            {
                return null;
            }

            if (text.StartsWith("/Guid(", StringComparison.Ordinal) && text.EndsWith(")/", StringComparison.Ordinal))
            {
                text = text.Substring(6, text.Length - 8);
            }

            return System.Guid.TryParse(text, out System.Guid id) && id != System.Guid.Empty ? id : (Guid?)null;
        }

        /// <summary>CSOM writes a date as "/Date(year,month-1,day,hour,minute,second,ms)/" in UTC.</summary>
        public static DateTimeOffset? Date(JsonElement obj, string name)
        {
            Match match = s_csomDate.Match(JsonValues.String(obj, name) ?? string.Empty);
            if (!match.Success)
            {
                return null;
            }

            int Part(int i) => int.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture);
            try
            {
                return new DateTimeOffset(Part(1), Part(2) + 1, Part(3), Part(4), Part(5), Part(6), Part(7), TimeSpan.Zero);
            }
            catch (ArgumentOutOfRangeException)
            {
                return null;
            }
        }

        private static long? Long(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) ? n : (long?)null;

        private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

        private static string Property(string name, string type, string value) =>
            "<Property Name=\"" + name + "\" Type=\"" + type + "\">" + SecurityElement.Escape(value) + "</Property>";
    }
}

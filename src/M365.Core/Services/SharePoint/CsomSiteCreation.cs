using System;
using System.Globalization;
using System.Security;
using System.Text.Json;

namespace M365.Core.Services.SharePoint
{
    /// <summary>
    /// The CSOM bodies of Tenant.CreateSite and of the SpoOperation poll, as the CLI for Microsoft 365 sends them, and the
    /// reading of their answers (a JSON array: a header with ErrorInfo, then action ids and results).
    /// </summary>
    internal static class CsomSiteCreation
    {
        public const int SiteExistsErrorCode = -2147024713;
        private const string Head = "<Request AddExpandoFieldTypeSuffix=\"true\" SchemaVersion=\"15.0.0.0\" LibraryVersion=\"16.0.0.0\" ApplicationName=\"M365\" xmlns=\"http://schemas.microsoft.com/sharepoint/clientquery/2009\">";
        private const string OperationQuery = "<Query SelectAllProperties=\"false\"><Properties><Property Name=\"IsComplete\" ScalarProperty=\"true\" /><Property Name=\"PollingInterval\" ScalarProperty=\"true\" /></Properties></Query>";

        public static string CreateSite(SiteCreationRequest request) =>
            Head
            + "<Actions><ObjectPath Id=\"4\" ObjectPathId=\"3\" /><ObjectPath Id=\"6\" ObjectPathId=\"5\" /><Query Id=\"7\" ObjectPathId=\"5\">" + OperationQuery + "</Query></Actions>"
            + "<ObjectPaths><Constructor Id=\"3\" TypeId=\"{268004ae-ef6b-4e9b-8425-127220d84719}\" /><Method Id=\"5\" ParentId=\"3\" Name=\"CreateSite\"><Parameters><Parameter TypeId=\"{11f84fff-b8cf-47b6-8b50-34e692656606}\">"
            + Property("CompatibilityLevel", "Int32", "0")
            + Property("Lcid", "UInt32", (request.Lcid ?? 1033).ToString(CultureInfo.InvariantCulture))
            + Property("Owner", "String", request.Owners[0])
            + Property("StorageMaximumLevel", "Int64", (request.StorageQuota ?? 100).ToString(CultureInfo.InvariantCulture))
            + Property("StorageWarningLevel", "Int64", (request.StorageQuotaWarningLevel ?? 100).ToString(CultureInfo.InvariantCulture))
            + Property("Template", "String", string.IsNullOrEmpty(request.WebTemplate) ? "STS#0" : request.WebTemplate!)
            + Property("TimeZoneId", "Int32", (request.TimeZone ?? 13).ToString(CultureInfo.InvariantCulture))
            + Property("Title", "String", request.Title ?? string.Empty)
            + Property("Url", "String", request.Url!)
            + Property("UserCodeMaximumLevel", "Double", (request.ResourceQuota ?? 0).ToString(CultureInfo.InvariantCulture))
            + Property("UserCodeWarningLevel", "Double", (request.ResourceQuotaWarningLevel ?? 0).ToString(CultureInfo.InvariantCulture))
            + "</Parameter></Parameters></Method></ObjectPaths></Request>";

        public static string Poll(string operationIdentity) =>
            Head
            + "<Actions><Query Id=\"2\" ObjectPathId=\"1\">" + OperationQuery + "</Query></Actions>"
            + "<ObjectPaths><Identity Id=\"1\" Name=\"" + SecurityElement.Escape(operationIdentity).Replace("\n", "&#xA;") + "\" /></ObjectPaths></Request>";

        /// <summary>The error of the answer (code and message), or null.</summary>
        public static (int Code, string Message)? ErrorOf(JsonElement answer)
        {
            // TryGetProperty throws on an element that is not an object, so a hostile "[5]" is checked first.
            if (answer.ValueKind == JsonValueKind.Array && answer.GetArrayLength() > 0 && answer[0].ValueKind == JsonValueKind.Object
                && answer[0].TryGetProperty("ErrorInfo", out JsonElement info) && info.ValueKind == JsonValueKind.Object)
            {
                return (JsonValues.Int(info, "ErrorCode") ?? 0, JsonValues.String(info, "ErrorMessage") ?? "SharePoint reported an error.");
            }

            return null;
        }

        /// <summary>The SpoOperation the answer ends with: its identity and whether it is complete; null when there is none.</summary>
        public static (string? Identity, bool IsComplete)? OperationOf(JsonElement answer)
        {
            if (answer.ValueKind != JsonValueKind.Array || answer.GetArrayLength() == 0)
            {
                return null;
            }

            JsonElement last = answer[answer.GetArrayLength() - 1];
            if (last.ValueKind != JsonValueKind.Object || !last.TryGetProperty("IsComplete", out JsonElement complete))
            {
                return null;
            }

            return (JsonValues.String(last, "_ObjectIdentity_"), complete.ValueKind == JsonValueKind.True);
        }

        private static string Property(string name, string type, string value) =>
            "<Property Name=\"" + name + "\" Type=\"" + type + "\">" + SecurityElement.Escape(value) + "</Property>";
    }
}

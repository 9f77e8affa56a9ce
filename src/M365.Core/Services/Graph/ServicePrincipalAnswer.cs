using System;
using System.Text.Json;

namespace M365.Core.Services.Graph
{
    /// <summary>
    /// Reads the service principal of a lookup's answer and checks that it is the one asked for (issue 16): a hostile or
    /// mixed-up answer (a batch with bodies swapped between ids, items that are not objects) is ResponseItemInvalid.
    /// </summary>
    internal static class ServicePrincipalAnswer
    {
        /// <summary>
        /// The service principal of an answer, checked to be the one asked for: a hostile or mixed-up answer (a batch with bodies
        /// swapped between ids) must not pass another object off as this input's.
        /// </summary>
        public static ServicePrincipal Read(ServicePrincipalLookup lookup, JsonElement answer)
        {
            if (!lookup.IsAppId)
            {
                return Checked(lookup, answer, "id");
            }

            if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("value", out JsonElement value) && value.ValueKind == JsonValueKind.Array)
            {
                // appId is unique: any item of another app id (or none) means the answer is not to this filter.
                ServicePrincipal? found = null;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    ServicePrincipal candidate = Checked(lookup, item, "appId");
                    found ??= candidate;
                }

                return found ?? throw ServicePrincipalClient.NotFound(lookup, null);
            }

            throw new M365ServiceException(
                ServiceErrorIds.ResponseItemInvalid,
                $"The answer to the lookup of app id {lookup.Value:D} is {Describe(answer)} without a 'value' array, not a list of service principals.",
                ItemInvalidAction,
                lookup.Value);
        }

        private static ServicePrincipal Checked(ServicePrincipalLookup lookup, JsonElement item, string key)
        {
            string what = lookup.IsAppId ? "app id" : "object id";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new M365ServiceException(
                    ServiceErrorIds.ResponseItemInvalid,
                    $"The answer to the lookup of {what} {lookup.Value:D} holds {Describe(item)}, not a service principal object.",
                    ItemInvalidAction,
                    lookup.Value);
            }

            Guid? actual = JsonValues.Guid(item, key);
            if (actual != lookup.Value)
            {
                throw new M365ServiceException(
                    ServiceErrorIds.ResponseItemInvalid,
                    $"The answer to the lookup of {what} {lookup.Value:D} is a service principal with " + (actual is Guid other ? $"the {what} {other:D}" : $"no {key}") + ", not the one asked for; it was not used.",
                    ItemInvalidAction,
                    lookup.Value);
            }

            return ServicePrincipal.FromJson(item);
        }

        private const string ItemInvalidAction = "Do not trust this answer: a proxy or gateway may have changed it. Try again; if it persists, report the input and time.";

        public static string Describe(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => "a JSON string",
            JsonValueKind.Number => "a JSON number",
            JsonValueKind.True or JsonValueKind.False => "a JSON boolean",
            JsonValueKind.Null => "a JSON null",
            JsonValueKind.Array => "a JSON array",
            _ => "a JSON object",
        };

        public static string Describe(JsonTokenType token) => token switch
        {
            JsonTokenType.String => "a JSON string",
            JsonTokenType.Number => "a JSON number",
            JsonTokenType.True or JsonTokenType.False => "a JSON boolean",
            JsonTokenType.Null => "a JSON null",
            JsonTokenType.StartArray => "a JSON array",
            _ => "a JSON object",
        };

        public static M365ServiceException ItemInvalid(string message, string target) =>
            new M365ServiceException(ServiceErrorIds.ResponseItemInvalid, message, ItemInvalidAction, target);
    }
}

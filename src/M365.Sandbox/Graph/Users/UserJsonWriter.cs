using System.Text.Json;
using M365.Sandbox.Directory;

namespace M365.Sandbox.Graph.Users;

/// <summary>Writes a seeded user's properties as Graph's user resource.</summary>
internal static class UserJsonWriter
{
    public static void WriteProperties(Utf8JsonWriter writer, SeededUser user, IEnumerable<string> properties)
    {
        var (given, surname) = UserNames.FromUpn(user.UserPrincipalName);
        foreach (var property in properties)
        {
            switch (property)
            {
                case "businessPhones": writer.WriteStartArray(property); writer.WriteEndArray(); break;
                case "displayName": writer.WriteString(property, user.DisplayName); break;
                case "givenName": writer.WriteString(property, given); break;
                case "jobTitle": writer.WriteNull(property); break;
                case "mail": writer.WriteString(property, user.UserPrincipalName); break;
                case "mobilePhone": writer.WriteNull(property); break;
                case "officeLocation": writer.WriteNull(property); break;
                case "preferredLanguage": writer.WriteString(property, "en-US"); break;
                case "surname": writer.WriteString(property, surname); break;
                case "userPrincipalName": writer.WriteString(property, user.UserPrincipalName); break;
                case "id": writer.WriteString(property, user.Id.ToString()); break;
                case "accountEnabled": writer.WriteBoolean(property, true); break;
                case "userType": writer.WriteString(property, "Member"); break;
            }
        }
    }
}

using System.Text.Json;

namespace M365.Sandbox.Directory;

/// <summary>Reads a JSON seed file: <c>{"users":[…],"apps":[…],"managedIdentities":[…]}</c>, camelCase.</summary>
internal static class SeedFileReader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static SandboxSeed Read(string path, string tenantName, Guid tenantId)
    {
        SandboxSeed? seed;
        try
        {
            seed = JsonSerializer.Deserialize<SandboxSeed>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The seed file '{path}' is not valid JSON: {ex.Message}", ex);
        }

        if (seed is null || seed.Users.Count == 0)
        {
            throw new InvalidDataException($"The seed file '{path}' must list at least one user.");
        }

        seed.TenantName = tenantName;
        seed.TenantId = tenantId;
        foreach (var app in seed.Apps)
        {
            // Dictionaries from JSON are case-sensitive; resource keys are not.
            app.DelegatedPermissions = new(app.DelegatedPermissions, StringComparer.OrdinalIgnoreCase);
            app.ApplicationPermissions = new(app.ApplicationPermissions, StringComparer.OrdinalIgnoreCase);
            if (app.CertificatePath is not null && !Path.IsPathRooted(app.CertificatePath))
            {
                app.CertificatePath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, app.CertificatePath));
            }
        }

        foreach (var identity in seed.ManagedIdentities)
        {
            identity.ApplicationPermissions = new(identity.ApplicationPermissions, StringComparer.OrdinalIgnoreCase);
        }

        seed.FillMissingIds();
        return seed;
    }
}

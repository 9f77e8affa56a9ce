namespace M365.Sandbox.Directory;

/// <summary>A managed identity (system-assigned when <see cref="UserAssigned"/> is false) and its app roles.</summary>
public sealed class SeededManagedIdentity
{
    public required Guid ClientId { get; set; }

    public Guid ObjectId { get; set; }

    public string DisplayName { get; set; } = string.Empty;

    public bool UserAssigned { get; set; }

    public Dictionary<string, string[]> ApplicationPermissions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public override string ToString() => $"{DisplayName} ({ClientId})";
}

namespace M365.Sandbox.Graph.Groups;

/// <summary>A Microsoft 365 (Unified) group, as team-site creation makes it.</summary>
public sealed record GraphGroup(
    Guid Id,
    string DisplayName,
    string MailNickname,
    string Mail,
    string Description,
    string Classification,
    bool IsPublic,
    IReadOnlyList<string> Owners,
    DateTimeOffset CreatedDateTime);

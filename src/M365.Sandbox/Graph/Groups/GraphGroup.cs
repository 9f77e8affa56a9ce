namespace M365.Sandbox.Graph.Groups;

/// <summary>A group: a Microsoft 365 (Unified) group, as team-site creation makes it, or one made by POST /groups.</summary>
public sealed record GraphGroup(
    Guid Id,
    string DisplayName,
    string MailNickname,
    string Mail,
    string Description,
    string Classification,
    bool IsPublic,
    IReadOnlyList<string> Owners,
    DateTimeOffset CreatedDateTime,
    bool IsUnified = true,
    bool MailEnabled = true,
    bool SecurityEnabled = false);

namespace M365.Sandbox.SharePoint;

/// <summary>A site collection of the tenant. Immutable: a retry after a failure replaces the record.</summary>
public sealed record SiteRecord(
    SiteCreationSpec Spec,
    Guid SiteId,
    Guid WebId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ReadyAt,
    bool Failed,
    string OperationId)
{
    /// <summary>The URL as created (original casing, no trailing slash).</summary>
    public string Url => Spec.Url;

    public SiteStatus StatusAt(DateTimeOffset now) =>
        Failed ? SiteStatus.Error : now >= ReadyAt ? SiteStatus.Ready : SiteStatus.Provisioning;
}

namespace M365.Core.Services.SharePoint
{
    /// <summary>Which of the tenant's sites <see cref="TenantSiteClient.ListAsync"/> lists.</summary>
    public sealed class SiteListQuery
    {
        /// <summary>A web template, such as <c>GROUP#0</c>, <c>SITEPAGEPUBLISHING#0</c> or <c>STS#3</c>; null for every template.</summary>
        public string? Template { get; set; }

        /// <summary>SharePoint's filter, such as <c>Url -like 'sales'</c> (-eq, -ne, -like, -notlike; -and, -or); null for none.</summary>
        public string? Filter { get; set; }

        /// <summary>Whether OneDrive sites (the -my host's personal sites) are listed too.</summary>
        public bool IncludeOneDriveSites { get; set; }

        /// <inheritdoc />
        public override string ToString() =>
            "sites" + (Template is null ? string.Empty : " of template " + Template) + (Filter is null ? string.Empty : " where " + Filter);
    }
}

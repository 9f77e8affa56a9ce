using System;
using System.Collections.Generic;
using System.Linq;

namespace M365.Core.Services.SharePoint
{
    /// <summary>
    /// What to create, with the CLI for Microsoft 365's options (<c>spo site add</c>). Set the options the user gave and
    /// leave the others null; <see cref="Validate"/> applies the CLI's rules, and <see cref="SiteCreationClient"/> refuses an
    /// invalid request before sending anything.
    /// </summary>
    public sealed class SiteCreationRequest
    {
        /// <summary>Site design ids SharePoint knows by name.</summary>
        public static readonly IReadOnlyDictionary<CommunicationSiteDesign, Guid> SiteDesignIds = new Dictionary<CommunicationSiteDesign, Guid>
        {
            [CommunicationSiteDesign.Topic] = Guid.Empty,
            [CommunicationSiteDesign.Showcase] = new Guid("6142d2a0-63a5-4ba0-aede-d9fefca2c767"),
            [CommunicationSiteDesign.Blank] = new Guid("f6cc5403-0d63-442e-96c0-285923709ffc"),
        };

        /// <summary>Creates a request of a type.</summary>
        /// <param name="type">The kind of site.</param>
        public SiteCreationRequest(SpoSiteType type) => Type = type;

        /// <summary>The kind of site.</summary>
        public SpoSiteType Type { get; }

        /// <summary>The title (every type).</summary>
        public string? Title { get; set; }

        /// <summary>The group alias (team sites only; the URL becomes /sites/{alias}).</summary>
        public string? Alias { get; set; }

        /// <summary>The absolute site URL (communication and classic sites).</summary>
        public string? Url { get; set; }

        /// <summary>The description.</summary>
        public string? Description { get; set; }

        /// <summary>The classification label (team and communication sites).</summary>
        public string? Classification { get; set; }

        /// <summary>Whether the group is public (team sites).</summary>
        public bool? IsPublic { get; set; }

        /// <summary>The language id, e.g. 1033.</summary>
        public int? Lcid { get; set; }

        /// <summary>Owner UPNs: any number for team sites, at most one for communication sites, exactly one for classic sites.</summary>
        public IList<string> Owners { get; set; } = new List<string>();

        /// <summary>A named design (communication sites; excludes <see cref="SiteDesignId"/>).</summary>
        public CommunicationSiteDesign? SiteDesign { get; set; }

        /// <summary>A custom design id (communication sites; excludes <see cref="SiteDesign"/>).</summary>
        public Guid? SiteDesignId { get; set; }

        /// <summary>Whether sharing by e-mail is allowed (communication sites).</summary>
        public bool? ShareByEmailEnabled { get; set; }

        /// <summary>The SharePoint time zone id (classic sites; required there).</summary>
        public int? TimeZone { get; set; }

        /// <summary>The web template (classic sites; default STS#0).</summary>
        public string? WebTemplate { get; set; }

        /// <summary>The resource (user code) quota (classic sites).</summary>
        public double? ResourceQuota { get; set; }

        /// <summary>The resource quota warning level, at most <see cref="ResourceQuota"/> (classic sites).</summary>
        public double? ResourceQuotaWarningLevel { get; set; }

        /// <summary>The storage quota in MB (classic sites).</summary>
        public long? StorageQuota { get; set; }

        /// <summary>The storage warning level in MB, at most <see cref="StorageQuota"/> (classic sites).</summary>
        public long? StorageQuotaWarningLevel { get; set; }

        /// <summary>Remove a deleted site at the URL from the recycle bin first (classic sites).</summary>
        public bool RemoveDeletedSite { get; set; }

        /// <summary>The hub site (its site id) to associate the site with once it is ready (<c>_api/site/JoinHubSite</c>); any kind of site.</summary>
        public Guid? HubSiteId { get; set; }

        /// <summary>The sensitivity label (its id) applied at creation; team and communication sites.</summary>
        public Guid? SensitivityLabel { get; set; }

        /// <summary>The multi-geo location a team site is created in, such as <c>EUR</c> or <c>NAM</c> (GroupSiteManager's optionalParams).</summary>
        public string? PreferredDataLocation { get; set; }

        /// <summary>The URL for communication and classic sites, the alias for team sites: what identifies this input.</summary>
        public string Key => (Type == SpoSiteType.TeamSite ? Alias : Url) ?? string.Empty;

        /// <summary>Every broken rule; empty when the request may be sent.</summary>
        public IReadOnlyList<SiteValidationError> Validate()
        {
            var errors = new List<SiteValidationError>();
            void Fail(string rule, string parameter, string message) => errors.Add(new SiteValidationError(rule, parameter, message));

            if (string.IsNullOrWhiteSpace(Title))
            {
                Fail("SiteNeedsTitle", nameof(Title), "Every site needs a title: give -Title.");
            }

            if (Lcid is int lcid && lcid <= 0)
            {
                Fail("LcidPositive", nameof(Lcid), $"The language id {lcid} is not valid: give a positive LCID such as 1033.");
            }

            if (PreferredDataLocation != null && (PreferredDataLocation.Length != 3 || !PreferredDataLocation.All(c => c < 128 && char.IsLetter(c))))
            {
                Fail("PreferredDataLocationCode", nameof(PreferredDataLocation), $"'{SiteText.Printable(PreferredDataLocation)}' is not a multi-geo location: give a three-letter code such as EUR, NAM or APC.");
            }

            CheckText(nameof(Title), Title, multiLine: false);
            CheckText(nameof(Alias), Alias, multiLine: false);
            CheckText(nameof(Url), Url, multiLine: false);
            CheckText(nameof(Description), Description, multiLine: true);
            CheckText(nameof(Classification), Classification, multiLine: false);
            CheckText(nameof(WebTemplate), WebTemplate, multiLine: false);
            foreach (string? owner in Owners ?? new List<string>())
            {
                CheckText(nameof(Owners), owner, multiLine: false);
            }

            string[] owners = (Owners ?? new List<string>()).Where(o => !string.IsNullOrWhiteSpace(o)).ToArray();
            switch (Type)
            {
                case SpoSiteType.TeamSite:
                    if (string.IsNullOrWhiteSpace(Alias))
                    {
                        Fail("TeamSiteNeedsAlias", nameof(Alias), "A team site needs -Alias, the group's mail nickname.");
                    }
                    else if (Alias!.Length > 64 || !Alias.All(c => (c < 128 && char.IsLetterOrDigit(c)) || c == '-' || c == '_' || c == '.') || Alias.StartsWith(".", StringComparison.Ordinal) || Alias.EndsWith(".", StringComparison.Ordinal))
                    {
                        Fail("AliasCharacters", nameof(Alias), $"The alias '{SiteText.Printable(Alias)}' is not valid: use up to 64 letters, digits, '-', '_' or '.'.");
                    }

                    NotAllowed("TeamSiteOptions", "a team site", (nameof(Url), Url != null), (nameof(SiteDesign), SiteDesign != null), (nameof(SiteDesignId), SiteDesignId != null),
                        (nameof(ShareByEmailEnabled), ShareByEmailEnabled != null), (nameof(TimeZone), TimeZone != null), (nameof(WebTemplate), WebTemplate != null),
                        (nameof(ResourceQuota), ResourceQuota != null), (nameof(ResourceQuotaWarningLevel), ResourceQuotaWarningLevel != null),
                        (nameof(StorageQuota), StorageQuota != null), (nameof(StorageQuotaWarningLevel), StorageQuotaWarningLevel != null), (nameof(RemoveDeletedSite), RemoveDeletedSite));
                    break;
                case SpoSiteType.CommunicationSite:
                    CheckUrl("CommunicationSiteNeedsUrl");
                    if (owners.Length > 1)
                    {
                        Fail("CommunicationSiteOneOwner", nameof(Owners), "A communication site takes one owner at most.");
                    }

                    if (SiteDesign != null && SiteDesignId != null)
                    {
                        Fail("SiteDesignExclusive", nameof(SiteDesignId), "Give -SiteDesign or -SiteDesignId, not both.");
                    }

                    // SPSiteManager/Create has no PreferredDataLocation: a communication site is created in a geo at that geo's own host.
                    NotAllowed("CommunicationSiteOptions", "a communication site", (nameof(Alias), Alias != null), (nameof(IsPublic), IsPublic != null), (nameof(TimeZone), TimeZone != null),
                        (nameof(PreferredDataLocation), PreferredDataLocation != null),
                        (nameof(ResourceQuota), ResourceQuota != null), (nameof(ResourceQuotaWarningLevel), ResourceQuotaWarningLevel != null),
                        (nameof(StorageQuota), StorageQuota != null), (nameof(StorageQuotaWarningLevel), StorageQuotaWarningLevel != null), (nameof(RemoveDeletedSite), RemoveDeletedSite));
                    break;
                case SpoSiteType.ClassicSite:
                    CheckUrl("ClassicSiteNeedsUrl");
                    if (owners.Length != 1)
                    {
                        Fail("ClassicSiteOneOwner", nameof(Owners), "A classic site needs exactly one owner: give -Owners with one UPN.");
                    }

                    if (TimeZone is null)
                    {
                        Fail("ClassicSiteNeedsTimeZone", nameof(TimeZone), "A classic site needs -TimeZone, a numeric SharePoint time zone id (e.g. 4 for Amsterdam, 13 for Pacific Time).");
                    }

                    if (ResourceQuotaWarningLevel is double resourceWarning && resourceWarning > (ResourceQuota ?? 0))
                    {
                        Fail("ResourceWarningWithinQuota", nameof(ResourceQuotaWarningLevel), $"The resource quota warning level ({resourceWarning}) must not exceed the resource quota ({ResourceQuota ?? 0}).");
                    }

                    if (StorageQuotaWarningLevel is long storageWarning && storageWarning > (StorageQuota ?? 0))
                    {
                        Fail("StorageWarningWithinQuota", nameof(StorageQuotaWarningLevel), $"The storage quota warning level ({storageWarning}) must not exceed the storage quota ({StorageQuota ?? 0}).");
                    }

                    NotAllowed("ClassicSiteOptions", "a classic site", (nameof(Alias), Alias != null), (nameof(IsPublic), IsPublic != null), (nameof(SiteDesign), SiteDesign != null),
                        (nameof(SiteDesignId), SiteDesignId != null), (nameof(ShareByEmailEnabled), ShareByEmailEnabled != null), (nameof(Classification), Classification != null),
                        (nameof(SensitivityLabel), SensitivityLabel != null), (nameof(PreferredDataLocation), PreferredDataLocation != null));
                    break;
            }

            return errors;

            void CheckUrl(string rule)
            {
                if (string.IsNullOrWhiteSpace(Url))
                {
                    Fail(rule, nameof(Url), $"A {Type} needs -Url, e.g. https://contoso.sharepoint.com/sites/news.");
                }
                else if (!Uri.TryCreate(Url, UriKind.Absolute, out Uri? url) || url.Scheme != Uri.UriSchemeHttps || url.AbsolutePath.Trim('/').Length == 0)
                {
                    Fail("SiteUrlAbsolute", nameof(Url), $"'{SiteText.Printable(Url)}' is not a site URL: give an absolute https URL such as https://contoso.sharepoint.com/sites/news.");
                }
            }

            // The text goes into CSOM XML (classic sites) or JSON bodies: a character XML 1.0 cannot carry (NUL and the other
            // controls, U+FFFE, U+FFFF, a lone surrogate) would be sent as is or break the request, so it is refused here.
            void CheckText(string parameter, string? value, bool multiLine)
            {
                if (value is null || SiteText.FirstForbidden(value, multiLine) is not int position)
                {
                    return;
                }

                Fail(
                    "TextCharacters",
                    parameter,
                    string.Format(
                        System.Globalization.CultureInfo.InvariantCulture,
                        "-{0} has the character U+{1:X4} at position {2}, which a site request cannot carry: remove control characters{3}.",
                        parameter,
                        (int)value[position],
                        position + 1,
                        multiLine ? " other than tab and line breaks" : " and line breaks"));
            }

            void NotAllowed(string rule, string what, params (string Name, bool IsSet)[] options)
            {
                foreach ((string name, bool isSet) in options)
                {
                    if (isSet)
                    {
                        Fail(rule, name, $"-{name} does not apply to {what}.");
                    }
                }
            }
        }

        /// <summary>Throws when a rule is broken.</summary>
        /// <exception cref="M365Exception"><see cref="ServiceErrorIds.SiteParameterInvalid"/>, naming every broken rule; the target is this request.</exception>
        public void ThrowIfInvalid()
        {
            IReadOnlyList<SiteValidationError> errors = Validate();
            if (errors.Count > 0)
            {
                throw new M365Exception(
                    ServiceErrorIds.SiteParameterInvalid,
                    $"The {Type} '{SiteText.Printable(Key.Length > 0 ? Key : Title)}' was not created: " + string.Join(" ", errors.Select(e => "[" + e.Rule + "] " + e.Message)),
                    "Correct the parameters named above; nothing was sent to SharePoint.",
                    this);
            }
        }

        /// <inheritdoc />
        public override string ToString() => Type + " " + Key;
    }
}

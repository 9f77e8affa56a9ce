using CsCheck;
using M365.Core.Clouds;
using M365.Core.Resources;

namespace M365.Core.Tests.Properties;

/// <summary>
/// User URLs and tenant names: only https URLs get a resource, and that resource covers the URL; tenant names and URLs
/// normalize to one lower-case name, the same whichever form was given.
/// </summary>
public sealed class ResourceResolverProperties : PropertySuite<ResourceResolverProperties>, IPropertySuite
{
    private static readonly Gen<CloudEnvironment> Cloud = Gen.OneOf(CloudEnvironment.All.ToArray());

    private static readonly Gen<string> Label = Gen.OneOf(
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"], 1, 12],
        Gen.String[Gen.Char["abcXYZ09-_.\u0130\u212a\u00e9"], 1, 12],
        Gen.OneOf<string>("contoso", "contoso-admin", "contoso-my", "CONTOSO", "xn--bcher-kva"));

    private static readonly Gen<string> Host = Gen.OneOf(
        Gen.Select(Label, Cloud).Select(t => t.Item1 + "." + t.Item2.SharePointSuffix),
        Cloud.Select(c => c.GraphHost),
        Gen.OneOf<string>("graph.microsoft.com", "manage.office.com", "api.yammer.com", "www.yammer.com", "management.azure.com", "127.0.0.1", "[::1]", "[fe80::1%25eth0]", "contoso.sharepoint.com.evil.example", "evil.example@contoso.sharepoint.com"),
        Gen.Select(Label, Label).Select(t => t.Item1 + "." + t.Item2 + ".example"));

    private static readonly Gen<string> Url = Gen.Select(
            Gen.OneOf<string>("https", "http", "HTTPS", "ftp", "wss", "file", "about"),
            Host,
            Gen.Frequency((3, Gen.Const("")), (1, Gen.Int[0, 70000].Select(p => ":" + p))),
            Gen.OneOf(Gen.Const("/"), Generators.StringOf("/abc?=&%#_:.", 16).Select(p => "/" + p)))
        .Select(t => t.Item1 + "://" + t.Item2 + t.Item3 + t.Item4);

    private static readonly Gen<string> TenantInput = Gen.OneOf(
        Label,
        Gen.Select(Label, Gen.OneOf<string>("", "-admin", "-my"), Cloud).Select(t => "https://" + t.Item1 + t.Item2 + "." + t.Item3.SharePointSuffix + "/"),
        Generators.AnyString,
        Generators.Mutated(Gen.Const("https://contoso.sharepoint.com")));

    public static IEnumerable<PropertyTarget> Targets =>
    [
        new("urls", nameof(OnlyHttpsUrlsGetAResourceAndItCoversTheUrl), OnlyHttpsUrlsGetAResourceAndItCoversTheUrl),
        new("urls", nameof(AnyResourceNameOrUrlResolvesOrGivesADocumentedError), AnyResourceNameOrUrlResolvesOrGivesADocumentedError),
        new("urls", nameof(AnAudienceNeverSendsAMicrosoftTokenToAnotherHost), AnAudienceNeverSendsAMicrosoftTokenToAnotherHost),
        new("urls", nameof(TenantNamesNormalizeToOneNameWhateverTheForm), TenantNamesNormalizeToOneNameWhateverTheForm),
        new("urls", nameof(AnInitialDomainHintIsAlwaysAValidTenantName), AnInitialDomainHintIsAlwaysAValidTenantName),
    ];

    private static void OnlyHttpsUrlsGetAResourceAndItCoversTheUrl(PropertyRun run) =>
        run.Check(Gen.Select(Gen.OneOf(Url, Generators.Mutated(Url)), Cloud), pair =>
        {
            (string text, CloudEnvironment cloud) = pair;
            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? url))
            {
                return;
            }

            var resolver = new ResourceResolver(cloud, "contoso");
            if (url.Scheme != Uri.UriSchemeHttps || url.GetLeftPart(UriPartial.Authority).Contains('@'))
            {
                Assert.Equal(ResourceErrorIds.ResourceUrlNotHttps, Assert.Throws<M365Exception>(() => resolver.FromUrl(url)).ErrorId);
                return;
            }

            M365Resource resource = resolver.FromUrl(url);
            Assert.True(resource.Covers(url), $"{resource} does not cover {url}");
            Assert.Equal(Uri.UriSchemeHttps, resource.Origin.Scheme);
        }, pair => pair.Item1 + " in " + pair.Item2.Name);

    private static void AnyResourceNameOrUrlResolvesOrGivesADocumentedError(PropertyRun run) =>
        run.Check(Gen.Select(Gen.OneOf(Url, Generators.AnyString, Gen.OneOf(ResourceResolver.ResourceNames.ToArray()).Select(n => n.ToUpperInvariant())), Cloud, Gen.Bool), t =>
        {
            (string name, CloudEnvironment cloud, bool tenantKnown) = t;
            var resolver = new ResourceResolver(cloud, tenantKnown ? "contoso" : null);
            if (string.IsNullOrWhiteSpace(name))
            {
                Assert.Throws<ArgumentException>(() => resolver.FromName(name));
                return;
            }

            try
            {
                M365Resource resource = resolver.FromName(name);
                if (resource.HasOrigin)
                {
                    Assert.Equal(Uri.UriSchemeHttps, resource.Origin.Scheme);
                }
                else
                {
                    // An App ID URI or app id: a token for the caller only, which no URL is covered by.
                    Assert.Equal(ResourceKind.Other, resource.Kind);
                    Assert.False(resource.Covers(new Uri("https://graph.microsoft.com/v1.0/me")));
                }
            }
            catch (M365Exception ex)
            {
                Assert.Contains(ex.ErrorId, new[] { ResourceErrorIds.ResourceNameUnknown, ResourceErrorIds.SharePointTenantUnknown, ResourceErrorIds.ResourceNotInCloud, ResourceErrorIds.ResourceUrlNotHttps });
            }
        });

    // Issue 16: whatever -Resource says, the resource a URL gets covers that URL, a Microsoft host gets only its own
    // resource, and an audience bound to any other host is never a Microsoft one.
    private static void AnAudienceNeverSendsAMicrosoftTokenToAnotherHost(PropertyRun run) =>
        run.Check(Gen.Select(Url, Gen.OneOf(Url, Generators.AnyString, Host, Gen.OneOf(ResourceResolver.ResourceNames.ToArray()), FirstPartyAppId, Gen.Const("api://contoso-api")), Cloud), t =>
        {
            (string text, string audience, CloudEnvironment cloud) = t;
            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? url) || string.IsNullOrWhiteSpace(audience))
            {
                return;
            }

            var resolver = new ResourceResolver(cloud, "contoso");
            M365Resource resource;
            try
            {
                resource = resolver.ForAudience(url, audience);
            }
            catch (M365Exception ex)
            {
                Assert.Contains(ex.ErrorId, new[] { ResourceErrorIds.ResourceHostMismatch, ResourceErrorIds.ResourceNameUnknown, ResourceErrorIds.ResourceNotInCloud, ResourceErrorIds.ResourceUrlNotHttps });
                return;
            }

            Assert.True(resource.Covers(url), $"{resource} does not cover {url}");
            bool own = resource.Equals(resolver.FromUrl(url));
            Assert.True(own || FirstPartyAudiences.KindOf(resource.ResourceId, out _) is null, $"{resource} goes to {url}");
            Assert.True(own || FirstPartyAudiences.KindOfHost(url.Host.ToLowerInvariant()) is null, $"{resource} goes to the Microsoft host {url.Host}");
        }, t => t.Item2 + " for " + t.Item1 + " in " + t.Item3.Name);

    private static readonly Gen<string> FirstPartyAppId = Gen.OneOf<string>(
        "00000003-0000-0000-c000-000000000000", "00000003-0000-0ff1-ce00-000000000000", "c5393580-f805-4401-95e8-94b7a6ef2fc2",
        "797f4846-ba00-4fd7-ba43-dac1f8f63013", "00000005-0000-0ff1-ce00-000000000000", "00000002-0000-0000-c000-000000000000");

    private static void TenantNamesNormalizeToOneNameWhateverTheForm(PropertyRun run) =>
        run.Check(Gen.Select(TenantInput, Cloud), pair =>
        {
            (string input, CloudEnvironment cloud) = pair;
            string tenant;
            try
            {
                tenant = new ResourceResolver(cloud, input).SharePointTenant!;
            }
            catch (M365Exception ex)
            {
                Assert.Equal(ResourceErrorIds.SharePointTenantInvalid, ex.ErrorId);
                return;
            }

            Assert.Matches("^[a-z0-9]{1,63}$", tenant);
            Assert.True(ContainsIgnoringAsciiCase(input, tenant), $"'{input}' became '{tenant}', which it does not spell");
            foreach (string form in new[] { tenant, tenant.ToUpperInvariant(), $"https://{tenant}.{cloud.SharePointSuffix}", $"https://{tenant}-admin.{cloud.SharePointSuffix}/sites/x", $" {tenant}-my.{cloud.SharePointSuffix} " })
            {
                Assert.Equal(tenant, new ResourceResolver(cloud).WithSharePointTenant(form).SharePointTenant);
            }

            Assert.Equal(new Uri($"https://{tenant}.{cloud.SharePointSuffix}"), new ResourceResolver(cloud, input).FromName("SharePoint").Origin);
        }, pair => "'" + pair.Item1 + "' in " + pair.Item2.Name);

    private static void AnInitialDomainHintIsAlwaysAValidTenantName(PropertyRun run) =>
        run.Check(Gen.OneOf(Label, Generators.AnyString).Select(name => name + Gen.OneOf<string>(".onmicrosoft.com", ".ONMICROSOFT.COM", ".com").Single()), domain =>
        {
            string? hint = ResourceResolver.SharePointTenantFromInitialDomain(domain);
            if (hint is null)
            {
                return;
            }

            Assert.Equal(hint, new ResourceResolver(CloudEnvironment.Public, hint).SharePointTenant);
            Assert.Equal(domain.Substring(0, domain.Length - ".onmicrosoft.com".Length), hint, ignoreCase: true);
        });

    private static bool ContainsIgnoringAsciiCase(string text, string lower) =>
        new string(text.Select(c => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c).ToArray()).Contains(lower, StringComparison.Ordinal);
}

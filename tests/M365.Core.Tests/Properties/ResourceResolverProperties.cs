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
                Assert.Equal(Uri.UriSchemeHttps, resource.Origin.Scheme);
            }
            catch (M365Exception ex)
            {
                Assert.Contains(ex.ErrorId, new[] { ResourceErrorIds.ResourceNameUnknown, ResourceErrorIds.SharePointTenantUnknown, ResourceErrorIds.ResourceNotInCloud, ResourceErrorIds.ResourceUrlNotHttps });
            }
        });

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

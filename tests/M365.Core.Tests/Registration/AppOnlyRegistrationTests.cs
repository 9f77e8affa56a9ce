using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using M365.Core.Diagnostics;
using M365.Core.Registration;
using M365.Core.Resources;
using M365.Core.Tests.Authentication.Persistence;

namespace M365.Core.Tests.Registration;

public sealed class AppOnlyRegistrationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("m365-apponly-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TheAppOnlyPresetsAreWhatTheModulesCmdletsNeedAppOnly()
    {
        var permissions = PermissionRequest.Parse(null, appOnly: true).Select(p => p.ToString()).ToList();
        Assert.Equal(new[] { "Graph/Application.Read.All", "Graph/Sites.Read.All", "SharePoint/Sites.FullControl.All" }, permissions);
        Assert.Equal(new[] { "Graph/Application.Read.All" }, PermissionRequest.Parse(new[] { "Minimal" }, appOnly: true).Select(p => p.ToString()));

        // Every cmdlet Test-M365Connection checks is met app-only by the default set.
        foreach (var need in CmdletPermissions.All)
        {
            var resource = need.Resource == ResourceKind.Graph ? "Graph" : "SharePoint";
            Assert.True(need.IsMet(appOnly: true, permissions.Where(p => p.StartsWith(resource + "/", StringComparison.Ordinal)).Select(p => p.Substring(resource.Length + 1))), need.Cmdlet);
        }
    }

    [Fact]
    public void AnAppOnlyAppIsAConfidentialClientAskingRoles()
    {
        var resources = new[] { new ResolvedResource(RegisteredResource.Graph, "sp-graph", new[] { ("Application.Read.All", "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30") }, appRoles: true) };
        using var created = JsonDocument.Parse(JsonSerializer.Serialize(AppManifest.NewApplication("M365 app-only", resources, appOnly: true)));
        var app = created.RootElement;
        Assert.False(app.TryGetProperty("isFallbackPublicClient", out _));
        Assert.False(app.TryGetProperty("publicClient", out _));
        var access = app.GetProperty("requiredResourceAccess")[0].GetProperty("resourceAccess")[0];
        Assert.Equal("Role", access.GetProperty("type").GetString());
        Assert.Equal("9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", access.GetProperty("id").GetString());
        // A rerun asks nothing more of it, and adds no public-client settings.
        Assert.Null(AppManifest.Update(app, resources, appOnly: true));
    }

    [Fact]
    public void ANewCertificateIsRsa2048Sha256WithItsPrivateKeyForTheValidityAsked()
    {
        var now = new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero);
        using var certificate = SelfSignedCertificate.Create("CN=M365 PowerShell", now, TimeSpan.FromDays(365));
        Assert.Equal("CN=M365 PowerShell", certificate.Subject);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(2048, certificate.GetRSAPublicKey()!.KeySize);
        Assert.Equal("1.2.840.113549.1.1.11", certificate.SignatureAlgorithm.Value); // sha256RSA
        Assert.Equal(now.AddDays(365).UtcDateTime, certificate.NotAfter.ToUniversalTime());
        Assert.True(certificate.NotBefore.ToUniversalTime() < now.UtcDateTime);
        var usage = Assert.Single(certificate.Extensions.OfType<X509KeyUsageExtension>());
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, usage.KeyUsages);
    }

    [Fact]
    public void TheFilesAreOwnerOnlyThePfxOpensWithThePasswordAndNoneIsReplacedUnlessAsked()
    {
        using var certificate = SelfSignedCertificate.Create("CN=Files", DateTimeOffset.UtcNow, TimeSpan.FromDays(30));
        using var password = Secure("Pfx-Passw0rd!");
        var (pfx, cer) = CertificateFiles.Write(certificate, password, _folder, "app", overwrite: false);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pfx));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cer));
        }

        using (var opened = X509CertificateLoader.LoadPkcs12FromFile(pfx, "Pfx-Passw0rd!"))
        {
            Assert.True(opened.HasPrivateKey);
            Assert.Equal(certificate.Thumbprint, opened.Thumbprint);
        }

        Assert.ThrowsAny<CryptographicException>(() => X509CertificateLoader.LoadPkcs12FromFile(pfx, "wrong"));
        using (var publicPart = X509CertificateLoader.LoadCertificateFromFile(cer))
        {
            Assert.False(publicPart.HasPrivateKey);
        }

        var before = File.ReadAllBytes(pfx);
        var error = Assert.Throws<M365Exception>(() => CertificateFiles.Write(certificate, password, _folder, "app", overwrite: false));
        Assert.Equal(RegistrationErrorIds.CertificateFileExists, error.ErrorId);
        Assert.Equal(before, File.ReadAllBytes(pfx));
        CertificateFiles.Write(certificate, password, _folder, "app", overwrite: true);
    }

    [Fact]
    public void ALinkIsNeverWrittenThroughEvenWithOverwrite()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var target = Path.Combine(_folder, "elsewhere");
        File.WriteAllText(target, "keep");
        File.CreateSymbolicLink(Path.Combine(_folder, "app.pfx"), target);
        using var certificate = SelfSignedCertificate.Create("CN=Link", DateTimeOffset.UtcNow, TimeSpan.FromDays(1));
        using var password = Secure("x");
        var error = Assert.Throws<M365Exception>(() => CertificateFiles.Write(certificate, password, _folder, "app", overwrite: true));
        Assert.Equal(RegistrationErrorIds.CertificateFileExists, error.ErrorId);
        Assert.Equal("keep", File.ReadAllText(target));
    }

    [Theory]
    [InlineData("production", null, "repo:contoso/reports:environment:production", "github-contoso-reports-environment-production")]
    [InlineData(null, "release/v2", "repo:contoso/reports:ref:refs/heads/release/v2", "github-contoso-reports-branch-release-v2")]
    [InlineData(null, null, "repo:contoso/reports:ref:refs/heads/main", "github-contoso-reports-branch-main")]
    public void AGitHubCredentialHasGitHubsIssuerAndSubject(string? environment, string? branch, string subject, string name)
    {
        var credential = FederatedCredentialRequest.GitHub("contoso/reports", environment, branch);
        Assert.Equal("https://token.actions.githubusercontent.com", credential.Issuer);
        Assert.Equal(subject, credential.Subject);
        Assert.Equal(name, credential.Name);
        var snippet = credential.Snippet("app-id", "contoso.onmicrosoft.com");
        Assert.Contains("id-token: write", snippet);
        Assert.Contains("Connect-M365 -FederatedIdentity -AppId app-id -Tenant contoso.onmicrosoft.com", snippet);
        Assert.Equal(environment is not null, snippet.Contains("environment: " + environment, StringComparison.Ordinal));
    }

    [Fact]
    public void AnAzureDevOpsCredentialHasTheOrganizationsIssuerAndTheConnectionsSubject()
    {
        var organization = Guid.Parse("6c1f5a1e-2f0e-4d33-9f7b-0d3c2b1a9e8f");
        var credential = FederatedCredentialRequest.AzureDevOps("contoso/automation/m365-federated", organization);
        Assert.Equal("https://vstoken.dev.azure.com/6c1f5a1e-2f0e-4d33-9f7b-0d3c2b1a9e8f", credential.Issuer);
        Assert.Equal("sc://contoso/automation/m365-federated", credential.Subject);
        Assert.Contains("azureSubscription: m365-federated", credential.Snippet("a", "t"));
    }

    [Fact]
    public void ALongNameIsCutToGraphsLimit()
    {
        var credential = FederatedCredentialRequest.GitHub("contoso/" + new string('r', 100), "production-" + new string('e', 60), null);
        Assert.Equal(FederatedCredentialRequest.MaxNameLength, credential.Name.Length);
    }

    [Theory]
    [InlineData("contoso")]
    [InlineData("contoso/reports/extra")]
    [InlineData("contoso/re ports")]
    public void AMalformedRepositoryIsFederatedCredentialInvalid(string repository)
    {
        var error = Assert.Throws<M365Exception>(() => FederatedCredentialRequest.GitHub(repository, null, null));
        Assert.Equal(RegistrationErrorIds.FederatedCredentialInvalid, error.ErrorId);
    }

    [Fact]
    public void AnEnvironmentAndABranchTogetherOrNoOrganizationIdAreFederatedCredentialInvalid()
    {
        Assert.Equal(RegistrationErrorIds.FederatedCredentialInvalid, Assert.Throws<M365Exception>(() => FederatedCredentialRequest.GitHub("contoso/reports", "prod", "main")).ErrorId);
        Assert.Equal(RegistrationErrorIds.FederatedCredentialInvalid, Assert.Throws<M365Exception>(() => FederatedCredentialRequest.AzureDevOps("contoso/automation/x", Guid.Empty)).ErrorId);
        Assert.Equal(RegistrationErrorIds.FederatedCredentialInvalid, Assert.Throws<M365Exception>(() => FederatedCredentialRequest.AzureDevOps("contoso/x", Guid.NewGuid())).ErrorId);
    }

    private static SecureString Secure(string text) => SignIns.Secure(text);
}

using System.Diagnostics;
using M365.Core.Authentication;
using M365.Core.Settings;

namespace M365.Core.Tests.Settings;

/// <summary>The per-user settings file: private, refused when someone else could have written it, tolerant of damage.</summary>
public sealed class SettingsFileTests : IDisposable
{
    private const string App = "3c2f6a3e-8d2b-4e4f-9a1c-5b7d0e6f1a2b";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "m365-settings-" + Guid.NewGuid().ToString("N"));

    private string Folder => Path.Combine(_root, "m365");

    private static bool CanChown => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    [Fact]
    public void SavedValuesComeBackNormalisedAndTheFileIsPrivate()
    {
        var file = new SettingsFile(Folder);
        Assert.True(file.Read().IsEmpty);

        file.Update(s => s.With(appId: App.ToUpperInvariant()));
        M365Settings saved = file.Update(s => s.With(tenant: SettingsValues.Tenant("Contoso.OnMicrosoft.com"), environment: SettingsValues.Environment("usgov")));

        Assert.Equal(App, new SettingsFile(Folder).Read().AppId, ignoreCase: true);
        Assert.Equal("contoso.onmicrosoft.com", saved.Tenant);
        Assert.Equal("USGov", saved.Environment);
        Assert.Equal(Path.Combine(Folder, "settings.json"), file.Path);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.Path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Folder));
        }

        Assert.Equal(new[] { "settings.json" }, Directory.EnumerateFiles(Folder).Select(Path.GetFileName));
    }

    [Fact]
    public void RemovingEverySettingDeletesTheFileAndDeleteRemovesADamagedOne()
    {
        var file = new SettingsFile(Folder);
        file.Update(s => s.With(appId: App));
        file.Update(s => s.Without("appid"));
        Assert.False(File.Exists(file.Path));

        Directory.CreateDirectory(Folder);
        File.WriteAllText(file.Path, "{ not json");
        file.Delete();
        Assert.False(File.Exists(file.Path));
        Assert.True(file.Read().IsEmpty);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[1, 2]")]
    [InlineData("{\"appId\": 42}")]
    [InlineData("{\"appId\": \"not-a-guid\"}")]
    [InlineData("{\"environment\": \"Mars\"}")]
    public void ADamagedFileIsSettingsFileInvalidWithClearM365SettingAsTheFix(string text)
    {
        Directory.CreateDirectory(Folder);
        var file = new SettingsFile(Folder);
        File.WriteAllText(file.Path, text);

        var error = Assert.Throws<M365Exception>(() => file.Read());

        Assert.Equal(SettingsErrorIds.SettingsFileInvalid, error.ErrorId);
        Assert.Contains(file.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("Clear-M365Setting", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(SettingsErrorIds.SettingsFileInvalid, Assert.Throws<M365Exception>(() => file.Update(s => s.With(appId: App))).ErrorId);
        Assert.Equal(text, File.ReadAllText(file.Path));
    }

    [Fact]
    public void UnknownMembersAreIgnored()
    {
        Directory.CreateDirectory(Folder);
        var file = new SettingsFile(Folder);
        File.WriteAllText(file.Path, $"{{\"appId\": \"{App}\", \"later\": {{\"x\": 1}}}}");
        Assert.Equal(App, file.Read().AppId);
    }

    [Fact]
    public void ARelativeFolderIsSettingsPathInvalid()
    {
        Assert.Equal(SettingsErrorIds.SettingsPathInvalid, Assert.Throws<M365Exception>(() => new SettingsFile("relative/folder")).ErrorId);
        Assert.Equal(SettingsErrorIds.SettingsPathInvalid, Assert.Throws<M365Exception>(() => new SettingsFile(" ")).ErrorId);
    }

    [Fact]
    public void AFolderOthersCanWriteIsRefusedForReadingAndWriting()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var file = new SettingsFile(Folder);
        file.Update(s => s.With(appId: App));
        File.SetUnixFileMode(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);

        var read = Assert.Throws<M365Exception>(() => file.Read());
        var write = Assert.Throws<M365Exception>(() => file.Update(s => s.With(tenant: "contoso.onmicrosoft.com")));

        Assert.Equal(SettingsErrorIds.SettingsFileInsecure, read.ErrorId);
        Assert.Equal(SettingsErrorIds.SettingsFileInsecure, write.ErrorId);
        Assert.Contains("M365_SETTINGS_DIRECTORY", read.RecommendedAction, StringComparison.Ordinal);
        Assert.Null(JsonTenant(file.Path));
    }

    [Fact]
    public void AFileOfAnotherUserIsRefused()
    {
        if (!CanChown)
        {
            return; // Handing a file to another user needs root; CI and the dev machines run as root.
        }

        var file = new SettingsFile(Folder);
        file.Update(s => s.With(appId: App));
        Process.Start("chown", $"65534 {file.Path}")!.WaitForExit();

        var error = Assert.Throws<M365Exception>(() => file.Read());

        Assert.Equal(SettingsErrorIds.SettingsFileInsecure, error.ErrorId);
        Assert.Contains("another user (uid 65534", error.Message, StringComparison.Ordinal);
        Assert.Equal(file.Path, error.Target);
    }

    [Fact]
    public void ALinkIsRefused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Directory.CreateDirectory(Folder);
        string target = Path.Combine(_root, "elsewhere.json");
        File.WriteAllText(target, $"{{\"appId\": \"{App}\"}}");
        var file = new SettingsFile(Folder);
        File.CreateSymbolicLink(file.Path, target);

        Assert.Equal(SettingsErrorIds.SettingsFileInsecure, Assert.Throws<M365Exception>(() => file.Read()).ErrorId);
        Assert.Equal(SettingsErrorIds.SettingsFileInsecure, Assert.Throws<M365Exception>(() => file.Update(s => s.With(tenant: "contoso.onmicrosoft.com"))).ErrorId);
        file.Delete();
        Assert.True(File.Exists(target));
    }

    [Fact]
    public async Task ConcurrentUpdatesLoseNoValue()
    {
        var file = new SettingsFile(Folder);
        var tenants = Enumerable.Range(0, 40).Select(i => $"t{i}.onmicrosoft.com").ToArray();
        await Task.WhenAll(tenants.Select(t => Task.Run(() =>
        {
            file.Update(s => s.With(tenant: t));
            _ = file.Read();
        })));
        file.Update(s => s.With(appId: App));

        M365Settings final = file.Read();
        Assert.Contains(final.Tenant, tenants);
        Assert.Equal(App, final.AppId);
        Assert.Equal(new[] { "settings.json" }, Directory.EnumerateFiles(Folder).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("contoso", "contoso.onmicrosoft.com")]
    [InlineData("", null)]
    [InlineData("https://contoso.sharepoint.com", null)]
    public void ABadTenantIsSettingValueInvalid(string tenant, string? suggestion)
    {
        var error = Assert.Throws<M365Exception>(() => SettingsValues.Tenant(tenant));
        Assert.Equal(SettingsErrorIds.SettingValueInvalid, error.ErrorId);
        if (suggestion != null)
        {
            Assert.Contains(suggestion, error.RecommendedAction, StringComparison.Ordinal);
        }

        Assert.Equal(SettingsErrorIds.SettingValueInvalid, Assert.Throws<M365Exception>(() => SettingsValues.AppId("00000000-0000-0000-0000-000000000000")).ErrorId);
        Assert.Equal(SettingsErrorIds.SettingValueInvalid, Assert.Throws<M365Exception>(() => SettingsValues.Environment("Mars")).ErrorId);
    }

    [Fact]
    public void TheAppIdPrecedenceIsParameterThenEnvironmentThenSettingThenPnP()
    {
        string? aad = Environment.GetEnvironmentVariable(SignInOptions.AadAppIdVariable);
        string? entra = Environment.GetEnvironmentVariable(SignInOptions.EntraAppIdVariable);
        try
        {
            Environment.SetEnvironmentVariable(SignInOptions.AadAppIdVariable, null);
            Environment.SetEnvironmentVariable(SignInOptions.EntraAppIdVariable, null);
            var options = new SignInOptions();
            Assert.Equal((SignInOptions.PnPManagementShellAppId, AppIdSource.Default), options.ResolveAppIdWithSource());

            options.SavedSettings = new M365Settings(App, null, null);
            Assert.Equal((App, AppIdSource.Setting), options.ResolveAppIdWithSource());

            Environment.SetEnvironmentVariable(SignInOptions.EntraAppIdVariable, "11111111-1111-1111-1111-111111111111");
            Assert.Equal(AppIdSource.EntraAppIdVariable, options.ResolveAppIdWithSource().Source);

            options.AppId = "22222222-2222-2222-2222-222222222222";
            Assert.Equal(("22222222-2222-2222-2222-222222222222", AppIdSource.Parameter), options.ResolveAppIdWithSource());
        }
        finally
        {
            Environment.SetEnvironmentVariable(SignInOptions.AadAppIdVariable, aad);
            Environment.SetEnvironmentVariable(SignInOptions.EntraAppIdVariable, entra);
        }
    }

    private static string? JsonTenant(string path) =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(path)).RootElement.TryGetProperty("tenant", out var t) ? t.GetString() : null;

    public void Dispose()
    {
        if (Directory.Exists(Folder) && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}

using System.Runtime.InteropServices;
using M365.Core.Authentication.Browser;

namespace M365.Core.Tests.Authentication.Browser;

/// <summary>Which way the sign-in page opens, from a pinned environment (no real variable or program is read).</summary>
public sealed class BrowserEnvironmentTests
{
    public static TheoryData<string, string, bool, string, string, string?> Cases => new()
    {
        // platform, variables (NAME=value;...), WSL, programs on PATH, expected, a word of the reason
        { "Linux", "DISPLAY=:0", false, "xdg-open", "SystemLauncher", null },
        { "Linux", "WAYLAND_DISPLAY=wayland-0", false, "", "SystemLauncher", null },
        { "Linux", "", false, "xdg-open", "None", "display" },
        { "Linux", "DISPLAY=:0;SSH_CONNECTION=10.0.0.1 5 10.0.0.2 22", false, "xdg-open", "None", "SSH" },
        { "Linux", "DISPLAY=:0;SSH_TTY=/dev/pts/1", false, "xdg-open", "None", "SSH" },
        { "Linux", "DISPLAY=:0;SUDO_USER=adele", false, "xdg-open", "None", "sudo" },
        { "Linux", "DISPLAY=:0", true, "xdg-open", "None", "wslview" },
        { "Linux", "", true, "wslview", "SystemLauncher", null },
        { "Linux", "BROWSER=node driver.mjs", false, "", "BrowserVariable", null },
        { "Linux", "BROWSER=firefox;SSH_TTY=/dev/pts/1;SUDO_USER=x", false, "", "BrowserVariable", null },
        { "Windows", "", false, "", "SystemLauncher", null },
        { "Windows", "SSH_CONNECTION=1 2 3 4", false, "", "SystemLauncher", null },
        { "OSX", "", false, "", "SystemLauncher", null },
        { "OSX", "SSH_CONNECTION=1 2 3 4", false, "", "None", "SSH" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ChoosesFromThePinnedEnvironment(string platform, string variables, bool wsl, string programs, string expectedKind, string? reasonWord)
    {
        BrowserEnvironment environment = Pinned(platform, variables, wsl, programs);

        BrowserChoice choice = environment.Choose();
        var expected = Enum.Parse<BrowserChoiceKind>(expectedKind);

        Assert.Equal(expected, choice.Kind);
        if (reasonWord != null)
        {
            Assert.Contains(reasonWord, choice.Reason);
        }

        if (expected == BrowserChoiceKind.BrowserVariable)
        {
            Assert.False(string.IsNullOrEmpty(choice.BrowserVariable));
        }
    }

    internal static BrowserEnvironment Pinned(string platform, string variables, bool wsl = false, string programs = "")
    {
        Dictionary<string, string> values = variables.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
        HashSet<string> onPath = programs.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        return new BrowserEnvironment(
            name => values.TryGetValue(name, out string? value) ? value : null,
            OSPlatform.Create(platform.ToUpperInvariant()),
            wsl,
            name => onPath.Contains(name) ? "/usr/bin/" + name : null);
    }
}

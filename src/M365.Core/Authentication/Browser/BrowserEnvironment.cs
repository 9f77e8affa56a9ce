using System;
using System.IO;
using System.Runtime.InteropServices;

namespace M365.Core.Authentication.Browser
{
    /// <summary>How the browser for an interactive sign-in is opened, and if it cannot be, why.</summary>
    internal enum BrowserChoiceKind
    {
        /// <summary>The commands in <c>$BROWSER</c>.</summary>
        BrowserVariable,

        /// <summary>The operating system's own launcher (what MSAL would run: the shell, <c>open</c>, <c>xdg-open</c> and its fallbacks).</summary>
        SystemLauncher,

        /// <summary>No browser can open here: the sign-in URL is printed and device code takes over after a short wait.</summary>
        None,
    }

    /// <summary>The decision of <see cref="BrowserEnvironment.Choose"/>.</summary>
    internal sealed class BrowserChoice
    {
        public BrowserChoice(BrowserChoiceKind kind, string? browserVariable = null, string? reason = null)
        {
            Kind = kind;
            BrowserVariable = browserVariable;
            Reason = reason;
        }

        public BrowserChoiceKind Kind { get; }

        /// <summary>The value of <c>$BROWSER</c>, for <see cref="BrowserChoiceKind.BrowserVariable"/>.</summary>
        public string? BrowserVariable { get; }

        /// <summary>Why no browser can open, for <see cref="BrowserChoiceKind.None"/> (a clause: "this SSH session has no display").</summary>
        public string? Reason { get; }
    }

    /// <summary>
    /// What the machine says about opening a browser: environment variables, the operating system, WSL, the programs on
    /// PATH. A small type so tests can pin every input; <see cref="System"/> reads the real ones.
    /// </summary>
    internal sealed class BrowserEnvironment
    {
        /// <summary>The launchers MSAL tries on Linux, in its order (wire contract: "Browser sign-in").</summary>
        internal static readonly string[] LinuxLaunchers = { "xdg-open", "gnome-open", "kfmclient", "microsoft-edge", "wslview" };

        private readonly Func<string, string?> _variable;
        private readonly Func<string, string?> _findOnPath;

        public BrowserEnvironment(Func<string, string?> variable, OSPlatform platform, bool isWsl, Func<string, string?> findOnPath)
        {
            _variable = variable;
            Platform = platform;
            IsWsl = isWsl;
            _findOnPath = findOnPath;
        }

        /// <summary>This process's environment.</summary>
        public static BrowserEnvironment System { get; } = new BrowserEnvironment(
            Environment.GetEnvironmentVariable,
            CurrentPlatform(),
            DetectWsl(),
            name => FindOnPath(name, Environment.GetEnvironmentVariable("PATH")));

        public OSPlatform Platform { get; }

        public bool IsWsl { get; }

        /// <summary>The full path of an executable on PATH, or null.</summary>
        public string? Find(string program) => _findOnPath(program);

        public BrowserChoice Choose()
        {
            // $BROWSER wins everywhere: it is the user's (or a test's) explicit choice.
            string? browser = _variable("BROWSER");
            if (!string.IsNullOrWhiteSpace(browser))
            {
                return new BrowserChoice(BrowserChoiceKind.BrowserVariable, browser);
            }

            if (Platform == OSPlatform.Windows)
            {
                return new BrowserChoice(BrowserChoiceKind.SystemLauncher);
            }

            if (Set("SSH_CONNECTION") || Set("SSH_TTY"))
            {
                return None("this is an SSH session, so a browser would open on the remote machine, if at all");
            }

            if (Platform == OSPlatform.OSX)
            {
                return new BrowserChoice(BrowserChoiceKind.SystemLauncher);
            }

            if (Set("SUDO_USER"))
            {
                return None("the session runs under sudo, where the desktop's browser cannot be started");
            }

            if (IsWsl)
            {
                return Find("wslview") != null
                    ? new BrowserChoice(BrowserChoiceKind.SystemLauncher)
                    : None("this is WSL without wslview (install the wslu package to open the Windows browser)");
            }

            if (!Set("DISPLAY") && !Set("WAYLAND_DISPLAY"))
            {
                return None("there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)");
            }

            return new BrowserChoice(BrowserChoiceKind.SystemLauncher);
        }

        private bool Set(string name) => !string.IsNullOrEmpty(_variable(name));

        private static BrowserChoice None(string reason) => new BrowserChoice(BrowserChoiceKind.None, reason: reason);

        private static OSPlatform CurrentPlatform() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? OSPlatform.Windows
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? OSPlatform.OSX
            : OSPlatform.Linux;

        private static bool DetectWsl()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return false;
            }

            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WSL_DISTRO_NAME")) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WSL_INTEROP")))
            {
                return true;
            }

            try
            {
                return File.ReadAllText("/proc/sys/kernel/osrelease").IndexOf("microsoft", StringComparison.OrdinalIgnoreCase) >= 0;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return false;
            }
        }

        internal static string? FindOnPath(string program, string? path)
        {
            if (program.IndexOf(Path.DirectorySeparatorChar) >= 0 || program.IndexOf(Path.AltDirectorySeparatorChar) >= 0)
            {
                return File.Exists(program) ? program : null;
            }

            foreach (string folder in (path ?? string.Empty).Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (string name in RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? new[] { program + ".exe", program + ".cmd", program } : new[] { program })
                {
                    string candidate;
                    try
                    {
                        candidate = Path.Combine(folder, name);
                    }
                    catch (ArgumentException)
                    {
                        continue; // A PATH entry with characters no path may have.
                    }

                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }

            return null;
        }
    }
}

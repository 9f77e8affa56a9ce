using System.Globalization;

namespace M365.Sandbox.Hosting;

/// <summary>
/// Parses <c>serve [--port N] [--tenant NAME] [--service-principals N] [--state DIR] [--interactive-approval]
/// [--seed FILE] [--access-token-lifetime SECONDS] [--device-code-interval SECONDS] [--site-provisioning-seconds N]</c> by hand.
/// </summary>
public static class SandboxCommandLine
{
    public const string Usage = """
        Usage: M365.Sandbox serve [options]

        A local Microsoft 365 tenant on 127.0.0.1 for the M365 module and its tests.

        Options:
          --port N                        HTTPS port on 127.0.0.1 (default 5443; 0 picks a free one)
          --tenant NAME                   tenant short name (default contoso)
          --service-principals N          service principals Graph serves (default 1000)
          --state DIR                     state folder for keys, certificates, descriptor (default ~/.m365-sandbox)
          --interactive-approval          device codes wait for approval on the /devicelogin page, and browser
                                          sign-ins (authorize) show the sign-in and consent pages
          --seed FILE                     JSON seed file with users, apps and managed identities
          --access-token-lifetime SECONDS access token lifetime (default 3600)
          --device-code-interval SECONDS  polling interval device-code answers ask for (default 5, as Entra ID)
          --site-provisioning-seconds N   how long new sites stay Provisioning before Ready (default 0; decimals allowed)
          --help                          show this help
        """;

    private static readonly string[] ValuedOptions = { "--port", "--tenant", "--service-principals", "--state", "--seed", "--access-token-lifetime", "--device-code-interval", "--site-provisioning-seconds" };

    /// <summary>Returns the options, or null with an error message (or null message when --help was asked).</summary>
    public static SandboxOptions? Parse(IReadOnlyList<string> args, out string? error, out bool help)
    {
        error = null;
        help = false;
        if (args.Count == 0 || args.Contains("--help") || args.Contains("-h"))
        {
            help = args.Count > 0;
            error = help ? null : "Missing command: serve.";
            return null;
        }

        if (args[0] != "serve")
        {
            error = $"Unknown command '{args[0]}'. The only command is serve.";
            return null;
        }

        var options = new SandboxOptions { Port = 5443 };
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--interactive-approval")
            {
                options.InteractiveApproval = true;
                continue;
            }

            if (!ValuedOptions.Contains(name))
            {
                error = name.StartsWith("--", StringComparison.Ordinal) ? $"Unknown option '{name}'." : $"Unexpected argument '{name}'.";
                return null;
            }

            if (i + 1 >= args.Count)
            {
                error = $"Option {name} needs a value.";
                return null;
            }

            var value = args[++i];
            switch (name)
            {
                case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535:
                    options.Port = port;
                    break;
                case "--tenant" when IsTenantName(value):
                    options.TenantName = value.ToLowerInvariant();
                    break;
                case "--service-principals" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count):
                    options.ServicePrincipalCount = count;
                    break;
                case "--state":
                    options.StateDirectory = Path.GetFullPath(value);
                    break;
                case "--seed" when File.Exists(value):
                    options.SeedFile = Path.GetFullPath(value);
                    break;
                case "--access-token-lifetime" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
                    options.AccessTokenLifetime = TimeSpan.FromSeconds(seconds);
                    break;
                case "--device-code-interval" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var interval) && interval is > 0 and <= 60:
                    options.DeviceCodeIntervalSeconds = interval;
                    break;
                case "--site-provisioning-seconds" when double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var provisioning) && provisioning <= 86_400:
                    options.SiteProvisioningSeconds = provisioning;
                    break;
                case "--port" or "--tenant" or "--service-principals" or "--seed" or "--access-token-lifetime" or "--device-code-interval" or "--site-provisioning-seconds":
                    error = $"Invalid value '{value}' for {name}.";
                    return null;
                default:
                    error = $"Unknown option '{name}'.";
                    return null;
            }
        }

        return options;
    }

    private static bool IsTenantName(string value) =>
        value.Length is > 0 and <= 27 && value.All(c => char.IsAsciiLetterOrDigit(c)) && char.IsAsciiLetter(value[0]);
}

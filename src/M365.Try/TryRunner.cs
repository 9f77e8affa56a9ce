using System.Management.Automation;
using System.Management.Automation.Runspaces;
using M365.Sandbox.Hosting;
using M365.Try.Hosting;

namespace M365.Try;

/// <summary>
/// Starts a sandbox tenant in this process (or uses a running one), imports the built module folder out/M365 into a
/// real PowerShell runspace, and runs a script: by default demo.ps1, the main job.
/// </summary>
public static class TryRunner
{
    public const string Usage = """
        Usage: dotnet run --project src/M365.Try [-- [SCRIPT.ps1] [--sandbox DESCRIPTOR]]

        Runs a PowerShell script with the M365 module against a sandbox tenant, on machines with or without PowerShell.
          SCRIPT.ps1             the script to run (default: demo.ps1, sign in and get tokens for each resource)
          --sandbox DESCRIPTOR   use a running sandbox (its sandbox.json) instead of starting one in this process
        Exit code: 0 when the script wrote no error, 1 when it did, 2 for bad arguments.
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        string? script = null;
        string? descriptor = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--help" or "-h":
                    Console.WriteLine(Usage);
                    return 0;
                case "--sandbox" when i + 1 < args.Count:
                    descriptor = Path.GetFullPath(args[++i]);
                    break;
                case var path when script is null && path.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase):
                    script = Path.GetFullPath(path);
                    break;
                default:
                    Console.Error.WriteLine($"Unexpected argument '{args[i]}'.{Environment.NewLine}{Usage}");
                    return 2;
            }
        }

        script ??= Path.Combine(AppContext.BaseDirectory, "demo.ps1");
        if (!File.Exists(script))
        {
            Console.Error.WriteLine($"The script '{script}' does not exist.");
            return 2;
        }

        var manifest = ModuleFolder.Manifest();
        var state = Path.Combine(Path.GetTempPath(), "m365-try", Guid.NewGuid().ToString("N"));
        SandboxHost? sandbox = null;
        try
        {
            if (descriptor is null)
            {
                sandbox = await SandboxHost.StartAsync(new SandboxOptions { Port = 0, StateDirectory = state, DeviceCodeIntervalSeconds = 1, ServicePrincipalCount = 100 });
                descriptor = sandbox.DescriptorPath;
                Console.WriteLine($"Sandbox tenant '{sandbox.Hosts.TenantName}' ({sandbox.TenantId}) started at {sandbox.Url}.");
            }

            Environment.SetEnvironmentVariable("M365_SANDBOX", descriptor);
            return RunScript(manifest, script) ? 0 : 1;
        }
        finally
        {
            if (sandbox is not null)
            {
                await sandbox.DisposeAsync();
                TryDelete(state);
            }
        }
    }

    private static bool RunScript(string manifest, string script)
    {
        var host = new TextHost(Console.Out, interactive: true, width: Math.Max(Console.IsOutputRedirected ? 160 : Console.WindowWidth, 80), colour: !Console.IsOutputRedirected);
        var state = InitialSessionState.CreateDefault2();
        state.ThrowOnRunspaceOpenError = true;
        state.ImportPSModule(manifest);
        using var runspace = RunspaceFactory.CreateRunspace(host, state);
        runspace.Open();

        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddCommand(script).AddCommand("Out-Default");
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            ps.BeginStop(null, null);
        };

        try
        {
            ps.Invoke();
        }
        catch (RuntimeException ex)
        {
            host.UI.WriteErrorLine(ex.ErrorRecord.ToString());
            return false;
        }

        foreach (var error in ps.Streams.Error)
        {
            host.UI.WriteErrorLine($"{error} ({error.FullyQualifiedErrorId})");
        }

        return ps.Streams.Error.Count == 0;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

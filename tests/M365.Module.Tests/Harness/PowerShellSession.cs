using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace M365.Module.Tests.Harness;

/// <summary>
/// A real PowerShell runspace (CreateDefault2) with the built module folder imported through its manifest.
/// A failed import throws: tests never run against a half-loaded module.
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    public PowerShellSession(bool importModule = true, bool interactive = true, string? manifest = null)
    {
        manifest ??= RepoPaths.ModuleManifest;
        Host = new CaptureHost(interactive);
        var state = InitialSessionState.CreateDefault2();
        state.ThrowOnRunspaceOpenError = true;
        if (importModule)
        {
            if (!File.Exists(manifest))
            {
                throw new InvalidOperationException(
                    $"The module folder was not built: {manifest} is missing. Run 'dotnet build M365Module.sln'.");
            }

            state.ImportPSModule(manifest);
        }

        // A non-interactive session has no host UI at all, as in a runbook: PowerShell's "Default Host".
        _runspace = interactive ? RunspaceFactory.CreateRunspace(Host.PSHost, state) : RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
    }

    public CaptureHost Host { get; }

    public Runspace Runspace => _runspace;

    /// <summary>Runs a script (with optional named variables set first) and returns every stream.</summary>
    public ScriptResult Run(string script, IDictionary<string, object?>? variables = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        if (variables is not null)
        {
            foreach (var pair in variables)
            {
                _runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
            }
        }

        Host.ClearText();
        ps.AddScript(script);
        Collection<PSObject> output;
        Exception? terminating = null;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException ex)
        {
            output = new Collection<PSObject>();
            terminating = ex;
        }

        return new ScriptResult(
            output.ToList(),
            ps.Streams.Error.ToList(),
            ps.Streams.Warning.Select(w => w.Message).ToList(),
            ps.Streams.Verbose.Select(v => v.Message).ToList(),
            ps.Streams.Debug.Select(d => d.Message).ToList(),
            ps.Streams.Information.ToList(),
            Host.Text,
            terminating,
            ps.HadErrors)
        {
            Progress = ps.Streams.Progress.ToList(),
        };
    }

    /// <summary>Runs a script that must succeed, failing the test with every error otherwise.</summary>
    public ScriptResult RunOk(string script, IDictionary<string, object?>? variables = null)
    {
        var result = Run(script, variables);
        if (result.Terminating is not null || result.Errors.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("The script failed:" + Environment.NewLine + result.DescribeErrors());
        }

        return result;
    }

    /// <summary>What tab completion offers at the end of <paramref name="line"/>.</summary>
    public string[] Complete(string line) =>
        RunOk("[System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null).CompletionMatches.CompletionText", new Dictionary<string, object?> { ["line"] = line })
            .Output.Select(o => o.ToString()).ToArray();

    public void Dispose() => _runspace.Dispose();
}

/// <summary>Everything a script produced.</summary>
public sealed record ScriptResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<string> Debug,
    IReadOnlyList<InformationRecord> Information,
    string HostText,
    Exception? Terminating,
    bool HadErrors)
{
    /// <summary>The progress records written (the device-code countdown), in order.</summary>
    public IReadOnlyList<ProgressRecord> Progress { get; init; } = Array.Empty<ProgressRecord>();

    /// <summary>All text any stream carried, for scans (secrets must never appear in it).</summary>
    public string AllText()
    {
        var parts = new List<string>();
        parts.AddRange(Output.Select(o => o?.ToString() ?? string.Empty));
        parts.AddRange(Errors.Select(DescribeError));
        parts.AddRange(Warnings);
        parts.AddRange(Verbose);
        parts.AddRange(Debug);
        parts.AddRange(Information.Select(i => i.MessageData?.ToString() ?? string.Empty));
        parts.Add(HostText);
        if (Terminating is not null)
        {
            parts.Add(Terminating.ToString());
        }

        return string.Join(Environment.NewLine, parts);
    }

    public string DescribeErrors()
    {
        var lines = Errors.Select(DescribeError).ToList();
        if (Terminating is not null)
        {
            lines.Add("terminating: " + Terminating);
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static string DescribeError(ErrorRecord e) =>
        $"[{e.FullyQualifiedErrorId}] ({e.CategoryInfo.Category}) target={e.TargetObject}: {e.Exception?.Message} {e.ErrorDetails?.Message} {e.ErrorDetails?.RecommendedAction} {e.Exception}";
}

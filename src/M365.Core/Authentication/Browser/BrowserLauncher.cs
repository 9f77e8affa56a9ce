using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace M365.Core.Authentication.Browser
{
    /// <summary>Opens the sign-in page; tests replace it to answer the page without a browser.</summary>
    internal interface IBrowserLauncher
    {
        /// <summary>
        /// Starts opening <paramref name="url"/> and returns at once (MSAL starts its listener only after this). When no
        /// browser could be opened, now or when a launcher exits with an error, <paramref name="failed"/> is called once with
        /// the reason (a clause).
        /// </summary>
        void Launch(BrowserChoice choice, Uri url, Action<string> failed, CancellationToken cancellationToken);
    }

    /// <summary>
    /// Runs <c>$BROWSER</c>'s commands, or the system launcher MSAL would run (the shell on Windows, <c>open</c> on macOS,
    /// <c>xdg-open</c>, <c>gnome-open</c>, <c>kfmclient</c>, <c>microsoft-edge</c>, <c>wslview</c> on Linux) when the module
    /// takes over MSAL's hook. Each command is tried in turn until one starts and does not exit with an error; it is never
    /// waited for (a browser may run for hours) and never killed (it is the user's).
    /// </summary>
    internal sealed class BrowserLauncher : IBrowserLauncher
    {
        private readonly BrowserEnvironment _environment;

        public BrowserLauncher(BrowserEnvironment environment) => _environment = environment;

        public void Launch(BrowserChoice choice, Uri url, Action<string> failed, CancellationToken cancellationToken)
        {
            if (choice.Kind == BrowserChoiceKind.SystemLauncher && _environment.Platform == OSPlatform.Windows)
            {
                try
                {
                    using (Process.Start(new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true }))
                    {
                    }
                }
                catch (Exception ex) when (ex is Win32Exception || ex is InvalidOperationException)
                {
                    failed("the default browser could not be started (" + ex.Message + ")");
                }

                return;
            }

            IReadOnlyList<Candidate> candidates = Candidates(choice, url.AbsoluteUri);
            if (candidates.Count == 0)
            {
                failed(choice.Kind == BrowserChoiceKind.BrowserVariable
                    ? "$BROWSER names no command"
                    : "none of " + string.Join(", ", BrowserEnvironment.LinuxLaunchers) + " is installed (MSAL's linux_xdg_open_failed)");
                return;
            }

            _ = TryInTurnAsync(candidates, failed, cancellationToken);
        }

        private IReadOnlyList<Candidate> Candidates(BrowserChoice choice, string url)
        {
            var candidates = new List<Candidate>();
            if (choice.Kind == BrowserChoiceKind.BrowserVariable)
            {
                foreach (IReadOnlyList<string> command in BrowserCommand.ParseList(choice.BrowserVariable!))
                {
                    candidates.Add(new Candidate(command[0], BrowserCommand.Arguments(command, url)));
                }
            }
            else if (_environment.Platform == OSPlatform.OSX)
            {
                candidates.Add(new Candidate("open", new[] { url }));
            }
            else
            {
                foreach (string launcher in BrowserEnvironment.LinuxLaunchers)
                {
                    if (_environment.Find(launcher) is { } path)
                    {
                        candidates.Add(new Candidate(path, launcher == "kfmclient" ? new[] { "openURL", url } : new[] { url }));
                    }
                }
            }

            return candidates;
        }

        private static async Task TryInTurnAsync(IReadOnlyList<Candidate> candidates, Action<string> failed, CancellationToken cancellationToken)
        {
            var reasons = new List<string>();
            foreach (Candidate candidate in candidates)
            {
                int? exitCode;
                try
                {
                    exitCode = await RunAsync(candidate, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is Win32Exception || ex is InvalidOperationException)
                {
                    reasons.Add($"'{candidate.Program}' could not be started ({ex.Message.TrimEnd('.')})");
                    continue;
                }

                if (exitCode is null || exitCode == 0)
                {
                    return; // Running until the sign-in ended, or handed the URL to a browser.
                }

                reasons.Add($"'{candidate.Program}' exited with code {exitCode}");
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                failed(string.Join("; ", reasons));
            }
        }

        /// <summary>The exit code, or null when the sign-in ended (cancelled) while it still ran.</summary>
        private static async Task<int?> RunAsync(Candidate candidate, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo(candidate.Program)
            {
                UseShellExecute = false,
                // Its output must not mix with the PowerShell host's, and it must not read the console's keys.
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };
            // netstandard2.0 has no ArgumentList; .NET splits this string back with the same (MSVCRT) rules on every OS.
            start.Arguments = string.Join(" ", candidate.Arguments.Select(QuoteArgument));

            var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            process.Exited += (_, _) => exited.TrySetResult(process.ExitCode);
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            try
            {
                process.Start();
            }
            catch
            {
                process.Dispose();
                throw;
            }

            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var ended = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => ended.TrySetResult(true)))
            {
                Task first = await Task.WhenAny(exited.Task, ended.Task).ConfigureAwait(false);
                if (first != exited.Task)
                {
                    _ = exited.Task.ContinueWith(_ => process.Dispose(), TaskScheduler.Default);
                    return null;
                }
            }

            int code = await exited.Task.ConfigureAwait(false);
            process.Dispose();
            return code;
        }

        internal static string QuoteArgument(string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
            {
                return argument;
            }

            var quoted = new StringBuilder("\"");
            for (int i = 0; i < argument.Length; i++)
            {
                int backslashes = 0;
                while (i < argument.Length && argument[i] == '\\')
                {
                    backslashes++;
                    i++;
                }

                if (i == argument.Length)
                {
                    quoted.Append('\\', backslashes * 2);
                }
                else if (argument[i] == '"')
                {
                    quoted.Append('\\', (backslashes * 2) + 1).Append('"');
                }
                else
                {
                    quoted.Append('\\', backslashes).Append(argument[i]);
                }
            }

            return quoted.Append('"').ToString();
        }

        private sealed class Candidate
        {
            public Candidate(string program, IReadOnlyList<string> arguments)
            {
                Program = program;
                Arguments = arguments;
            }

            public string Program { get; }

            public IReadOnlyList<string> Arguments { get; }
        }
    }
}

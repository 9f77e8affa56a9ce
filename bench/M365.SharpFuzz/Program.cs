using System.Diagnostics;
using M365.SharpFuzz;
using SharpFuzz;

// Coverage-guided fuzzing of the parsers with SharpFuzz; bench/sharpfuzz.sh runs it under afl-fuzz. Usage:
//   dotnet M365.SharpFuzz.dll <target>                          under afl-fuzz: its fork server (out of process, so a
//                                                               hang or a stack overflow does not end the run); else
//                                                               runs the target once on standard input
//   dotnet M365.SharpFuzz.dll --replay <target> <file|dir>...   runs the target on each file, prints each failure
//   dotnet M365.SharpFuzz.dll --list
if (args.Length == 1 && args[0] == "--list")
{
    Console.WriteLine(string.Join(Environment.NewLine, Targets.All.Keys));
    return 0;
}

if (args.Length >= 3 && args[0] == "--replay" && Targets.All.TryGetValue(args[1], out Action<byte[]>? replayed))
{
    var files = args.Skip(2).SelectMany<string, string>(path => Directory.Exists(path) ? Directory.GetFiles(path).Where(f => !f.EndsWith("README.txt", StringComparison.Ordinal)).Order(StringComparer.Ordinal) : [path]).ToList();
    int failures = 0;

    // Not under afl-fuzz, Fuzzer.Run runs the action once with a coverage map of its own, which an instrumented
    // M365.Core.dll needs; the input it offers (standard input) is not read.
    Fuzzer.Run(_ =>
    {
        foreach (string file in files)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                replayed(File.ReadAllBytes(file));
                Console.WriteLine($"pass  {file} ({watch.Elapsed.TotalMilliseconds:0.0} ms)");
            }
            catch (Exception ex)
            {
                failures++;
                Console.WriteLine($"FAIL  {file} ({watch.Elapsed.TotalMilliseconds:0.0} ms)");
                Console.WriteLine(ex.ToString());
            }
        }
    });

    Console.WriteLine($"{files.Count - failures} of {files.Count} inputs passed.");
    return failures == 0 ? 0 : 1;
}

if (args.Length == 1 && Targets.All.TryGetValue(args[0], out Action<byte[]>? target))
{
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        target(buffer.ToArray());
    });
    return 0;
}

Console.Error.WriteLine($"Usage: M365.SharpFuzz <target> | --replay <target> <file|dir>... | --list. Targets: {string.Join(", ", Targets.All.Keys)}.");
return 2;

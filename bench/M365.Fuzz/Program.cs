using System.Diagnostics;
using M365.Core.Tests.Properties;

// Runs the parser properties of tests/M365.Core.Tests/Properties for longer than the test command does, from random seeds
// (or a given one), and prints each failure with its shrunk case and the seed that replays it. Bounded: it stops by itself.
//   dotnet run -c Release --project bench/M365.Fuzz -- --target retry-after --seconds 60
//   dotnet run -c Release --project bench/M365.Fuzz -- --target all --iterations 100000
//   dotnet run -c Release --project bench/M365.Fuzz -- --list
string target = "all";
int seconds = 0;
long iterations = 0;
string? seed = null;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--target": target = Next(); break;
        case "--seconds": seconds = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--iterations": iterations = long.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--seed": seed = Next(); break;
        case "--list":
            foreach (var group in PropertyTargets.All.GroupBy(t => t.Target))
            {
                Console.WriteLine($"{group.Key}: {string.Join(", ", group.Select(t => t.Name))}");
            }

            return 0;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}. Use --target <name|all> [--seconds N | --iterations N] [--seed S] or --list.");
            return 2;
    }
}

if (seconds < 0 || iterations < 0 || (seconds > 0 && iterations > 0))
{
    Console.Error.WriteLine("Give --seconds or --iterations (not both), as a positive number.");
    return 2;
}

if (seconds == 0 && iterations == 0)
{
    seconds = 60;
}

var chosen = PropertyTargets.All.Where(t => target == "all" || t.Target == target).ToList();
if (chosen.Count == 0)
{
    Console.Error.WriteLine($"No target '{target}'. Targets: {string.Join(", ", PropertyTargets.All.Select(t => t.Target).Distinct())}.");
    return 2;
}

// The time is shared out between the chosen properties, at least one second each.
int secondsEach = seconds > 0 ? Math.Max(1, seconds / chosen.Count) : -1;
int failures = 0;
foreach (PropertyTarget property in chosen)
{
    var watch = Stopwatch.StartNew();
    string? summary = null;
    try
    {
        property.Run(new PropertyRun(iterations > 0 ? iterations : -1, secondsEach, seed, line => summary = line));
        Console.WriteLine($"pass  {property.Target}/{property.Name} in {watch.Elapsed.TotalSeconds:0.0} s: {summary}");
    }
    catch (Exception ex)
    {
        failures++;
        Console.WriteLine($"FAIL  {property.Target}/{property.Name} after {watch.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine(ex.ToString());
    }
}

Console.WriteLine($"{chosen.Count - failures} of {chosen.Count} properties held.");
return failures == 0 ? 0 : 1;

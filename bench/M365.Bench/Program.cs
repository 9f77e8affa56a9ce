// Benchmarks: dotnet run -c Release --project bench/M365.Bench -- --filter '*' (add --job short for a quick pass).
// Scenarios:  dotnet run -c Release --project bench/M365.Bench -- --scenarios all [--runs 5] [--stream-sizes 5000,50000,100000]
using BenchmarkDotNet.Running;
using M365.Bench.Scenarios;

if (args.Length > 0 && (args[0] == "--scenarios" || args[0] == ScenarioRunner.ChildSwitch))
{
    return await ScenarioRunner.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(M365.Bench.ServicePrincipalPageBenchmarks).Assembly).Run(args);
return 0;

// Run all: dotnet run -c Release --project bench/M365.Bench -- --filter '*' (add --job short for a quick pass).
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(M365.Bench.ServicePrincipalPageBenchmarks).Assembly).Run(args);

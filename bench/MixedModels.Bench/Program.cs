using BenchmarkDotNet.Running;
using MixedModels.Bench;

// dotnet run -c Release -- --filter '*FitBenchmarks*' --job short   (see README: Benchmarks)
BenchmarkSwitcher.FromAssembly(typeof(ObjectiveBenchmarks).Assembly).Run(args);

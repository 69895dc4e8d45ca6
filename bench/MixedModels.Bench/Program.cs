using BenchmarkDotNet.Running;
using MixedModels.Bench;

if (args.Length > 0 && args[0] == "quick")
{
    QuickBench.Run(args[1..]);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(ObjectiveBenchmarks).Assembly).Run(args);

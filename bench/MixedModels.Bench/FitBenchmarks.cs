using BenchmarkDotNet.Attributes;
using MixedModels.Benchmarks;

namespace MixedModels.Bench;

/// <summary>
/// A whole fit from the table in memory (model frame and design, workspace, optimization, convergence checks,
/// result), per model of the suite — what lmer(formula, data) does in tools/bench-lme4.R.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class FitBenchmarks
{
    private BenchmarkModel _model = null!;

    /// <summary>The suite's model names.</summary>
    public static IEnumerable<string> Models => BenchModels.Names;

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _model = BenchModels.Get(Model);
        BenchmarkSuite.DataOf(_model);
    }

    [Benchmark]
    public double Fit() => BenchmarkSuite.Fit(_model).Criterion;
}

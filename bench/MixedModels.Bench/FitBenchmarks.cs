using BenchmarkDotNet.Attributes;
using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Results;

namespace MixedModels.Bench;

/// <summary>A whole fit from the design (workspace, optimization, convergence checks, result), per model.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class FitBenchmarks
{
    private ModelDesign _design = null!;
    private bool _reml;

    [Params("sleepstudy", "penicillin", "pastes", "hsb", "insteval")]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var m = BenchModels.Get(Model);
        _design = BenchModels.Design(m);
        _reml = m.Reml;
    }

    [Benchmark]
    public double Fit() => LinearMixedModel.Fit(_design, new FitOptions { Reml = _reml }).Objective;
}

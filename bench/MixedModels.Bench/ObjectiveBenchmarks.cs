using BenchmarkDotNet.Attributes;
using MixedModels.Estimation;
using MixedModels.Results;

namespace MixedModels.Bench;

/// <summary>One evaluation of the profiled objective at the optimum θ, per model (memory diagnoser: must be 0 B).</summary>
[MemoryDiagnoser]
[MedianColumn]
public class ObjectiveBenchmarks
{
    private LmmWorkspace _workspace = null!;
    private double[] _theta = [];

    /// <summary>The suite's model names.</summary>
    public static IEnumerable<string> Models => BenchModels.Names;

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var m = BenchModels.Get(Model);
        var design = BenchModels.Design(m);
        var fit = LinearMixedModel.Fit(design, new FitOptions { Reml = m.Reml, CheckConvergence = false });
        _theta = fit.Theta.ToArray();
        _workspace = new LmmWorkspace(design, m.Reml);
    }

    [Benchmark]
    public double Objective() => _workspace.Objective(_theta);
}

using BenchmarkDotNet.Attributes;
using MixedModels.Estimation;
using MixedModels.Results;

namespace MixedModels.Bench;

/// <summary>
/// One evaluation of the profiled objective at the optimum θ, per model; for a generalized model one evaluation of
/// the Laplace criterion at the optimum (θ, β), PIRLS included (memory diagnoser: must be 0 B).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ObjectiveBenchmarks
{
    private LmmWorkspace? _workspace;
    private GlmmWorkspace? _glmm;
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
        if (m.Family is { } family)
        {
            var f = MixedModels.Families.Family.Create(family);
            var g = GeneralizedLinearMixedModel.Fit(design, new GlmmFitOptions { Family = f, CheckConvergence = false });
            _theta = [.. g.Theta, .. g.FixedEffects.Select(e => e.Estimate)];
            _glmm = new GlmmWorkspace(design, f);
            return;
        }
        var fit = LinearMixedModel.Fit(design, new FitOptions { Reml = m.Reml, CheckConvergence = false });
        _theta = fit.Theta.ToArray();
        _workspace = new LmmWorkspace(design, m.Reml);
    }

    [Benchmark]
    public double Objective() => _glmm is not null ? _glmm.Laplace(_theta) : _workspace!.Objective(_theta);
}

using BenchmarkDotNet.Attributes;
using MixedModels.Estimation;
using MixedModels.Results;

namespace MixedModels.Bench;

/// <summary>
/// One evaluation of the profiled objective at the optimum θ, per model; for a generalized model one evaluation of
/// the Laplace criterion at the optimum (θ, β), PIRLS included; for an nlme model one evaluation of the structured
/// objective at the estimates, the rows' transformation and the refill of A included (memory diagnoser: must be 0 B).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ObjectiveBenchmarks
{
    private LmmWorkspace? _workspace;
    private GlmmWorkspace? _glmm;
    private MixedModels.Structures.StructuredObjective? _structured;
    private double[] _theta = [];

    /// <summary>The suite's model names.</summary>
    public static IEnumerable<string> Models => BenchModels.Names;

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var m = BenchModels.Get(Model);
        if (m.Nlme)
        {
            var nlme = (NlmeModel)MixedModels.Benchmarks.BenchmarkSuite.Fit(m).Model;
            (_structured, _theta) = nlme.ObjectiveAtEstimates();
            return;
        }
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
    public double Objective() => _glmm is not null ? _glmm.Laplace(_theta) : _structured is not null ? _structured.Evaluate(_theta) : _workspace!.Objective(_theta);
}

using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Results;
using MixedModels.Tests.Reference;
using Xunit;
using Xunit.Abstractions;

namespace MixedModels.Tests.Estimation;

/// <summary>
/// A boundary optimum reached from the moment start is checked against lme4's unit start (issue 10): nlme's IGF,
/// conc ~ age + (age | Lot), stopped at 594.8006 from the moment start while lme4's default reaches 594.3662.
/// </summary>
public sealed class BoundaryStartTests(ITestOutputHelper output)
{
    [Fact]
    public void IgfEndsNoWorseThanLme4sDefault()
    {
        var r = ReferenceRecord.Load("trust", "igf_slope").Root;
        var m = LinearMixedModel.Fit(r.GetProperty("formula").GetString()!, Datasets.Load("igf"));
        double lme4 = r.GetProperty("lme4_default").GetProperty("objective").GetDouble();
        var tight = r.GetProperty("tight");
        Assert.True(m.Objective <= lme4 + 1e-8 * lme4, $"objective {m.Objective:R} > lme4's {lme4:R}");
        Assert.Equal(tight.GetProperty("objective").GetDouble(), m.Objective, 1e-7 * lme4);
        Assert.True(m.Singular);
        var se = tight.GetProperty("se").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < se.Length; i++) Assert.Equal(se[i], m.FixedEffects[i].StandardError, 1e-3 * se[i]);
        Assert.Equal(tight.GetProperty("sigma").GetDouble(), m.Sigma, 1e-4);
    }

    [Fact]
    public void OnlyBoundaryOptimaFromTheMomentStartPayForASecondStart()
    {
        var data = Datasets.Load("sleepstudy");
        var interior = LmmFitter.Fit(new LmmWorkspace(ModelDesign.Build("Reaction ~ Days + (Days | Subject)", data)), new FitOptions());
        Assert.Equal(0, interior.SecondStartEvaluations);
        var igf = LmmFitter.Fit(new LmmWorkspace(ModelDesign.Build("conc ~ age + (age | Lot)", Datasets.Load("igf"))), new FitOptions());
        Assert.True(igf.SecondStartEvaluations > 0);
        var unit = LmmFitter.Fit(new LmmWorkspace(ModelDesign.Build("conc ~ age + (age | Lot)", Datasets.Load("igf"))), new FitOptions { Start = StartMethod.Unit });
        Assert.Equal(0, unit.SecondStartEvaluations);
    }

    /// <summary>What the check costs on the reference fits (printed for the closing note; asserts every fit ends no worse than lme4's default).</summary>
    [Fact]
    public void CostOnTheReferenceFits()
    {
        int total = 0, extra = 0, fits = 0;
        foreach (string set in new[] { "fits", "extra" })
            foreach (string id in ReferenceRecord.FitIds(set))
            {
                var rec = ReferenceRecord.Load(set, id);
                var design = ModelDesign.Build(rec.Formula, Datasets.Load(rec.DataName), rec.DesignOptions());
                var fit = LmmFitter.Fit(new LmmWorkspace(design, rec.Reml), new FitOptions { Reml = rec.Reml });
                total += fit.Optimization.Evaluations;
                extra += fit.SecondStartEvaluations;
                fits++;
                Assert.True(fit.Optimization.Value <= rec.Number("objective") + 1e-7 * Math.Abs(rec.Number("objective")), $"{set}/{id}: {fit.Optimization.Value:R} vs {rec.Number("objective"):R}");
                if (fit.SecondStartEvaluations > 0) output.WriteLine($"{set}/{id}: {fit.SecondStartEvaluations} more evaluations");
            }
        output.WriteLine($"{fits} fits, {total} evaluations, of which {extra} from the second start");
    }
}

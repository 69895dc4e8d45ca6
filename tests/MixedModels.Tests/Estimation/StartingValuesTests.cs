using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Results;
using Xunit;
using Xunit.Abstractions;

namespace MixedModels.Tests.Estimation;

/// <summary>Moment starting values: close to the optimum, and the fit from them is the fit from lme4's start.</summary>
public sealed class StartingValuesTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Models() =>
    [
        ["sleepstudy", "Reaction ~ Days + (Days | Subject)", true],
        ["penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)", true],
        ["pastes", "strength ~ 1 + (1 | batch/cask)", true],
        ["orthodont", "distance ~ age * Sex + (age | Subject)", true],
        ["hsb", "MathAch ~ SES * Sector + MEANSES + Sex + Minority + (SES | School)", true],
        ["dyestuff2", "Yield ~ 1 + (1 | Batch)", true],
        ["sleepstudy", "Reaction ~ Days + (Days || Subject)", false],
        ["prepost", "score ~ group * time + EM + (1 | id)", true],
    ];

    [Theory]
    [MemberData(nameof(Models))]
    public void FitFromMomentsIsTheFitFromTheUnitStart(string data, string formula, bool reml)
    {
        var design = ModelDesign.Build(formula, Datasets.Load(data));
        var unit = LinearMixedModel.Fit(design, new FitOptions { Reml = reml, Start = StartMethod.Unit });
        var moments = LinearMixedModel.Fit(design, new FitOptions { Reml = reml });
        output.WriteLine($"evaluations: unit start {unit.Optimization.Evaluations}, moment start {moments.Optimization.Evaluations}");
        Assert.True(moments.Converged);
        Assert.Equal(unit.Objective, moments.Objective, 1e-9 * Math.Abs(unit.Objective));
        for (int i = 0; i < unit.Theta.Count; i++) Assert.Equal(unit.Theta[i], moments.Theta[i], 2e-4);
    }

    [Fact]
    public void MomentsAreNearTheOptimum()
    {
        var design = ModelDesign.Build("Reaction ~ Days + (Days | Subject)", Datasets.Load("sleepstudy"));
        var ws = new LmmWorkspace(design);
        var start = StartingValues.Moments(ws);
        var fit = LinearMixedModel.Fit(design);
        // θ̂ = (0.967, 0.015, 0.231); the moments land within 0.05 of each element (lme4 starts at (1, 0, 1)).
        for (int i = 0; i < 3; i++) Assert.InRange(start[i], fit.Theta[i] - 0.05, fit.Theta[i] + 0.05);
    }

    [Fact]
    public void TermsWithTooFewObservationsPerGroupKeepTheUnitStart()
    {
        // Pair: two groups of 50 rows, then 40 groups of 2. Only 2 groups have more observations than the 2 columns
        // of (Days | Pair), fewer than the 3 a covariance estimate needs, so that term keeps lme4's start (1, 0, 1),
        // while (1 | Subject) gets its moment estimate.
        var data = Datasets.Load("sleepstudy");
        var pairs = Enumerable.Range(0, data.RowCount).Select(i => i < 100 ? i / 50 : 2 + (i - 100) / 2).ToArray();
        data = data.With(new CategoricalColumn("Pair", pairs, Enumerable.Range(0, pairs.Max() + 1).Select(i => $"p{i}").ToArray()));
        var design = ModelDesign.Build("Reaction ~ Days + (Days | Pair) + (1 | Subject)", data);
        var start = StartingValues.Moments(new LmmWorkspace(design));
        Assert.Equal([1.0, 0.0, 1.0], start[..3]);
        Assert.NotEqual(1.0, start[3]);
        Assert.InRange(start[3], 0.2, 3);
    }
}

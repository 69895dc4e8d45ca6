using MixedModels.Data;
using MixedModels.Estimation;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Results;

public sealed class FitBehaviourTests
{
    [Fact]
    public void ANonConvergedFitIsReportedAsSuch()
    {
        var options = new FitOptions { Optimizer = new BobyqaOptions { MaxEvaluations = 12 } };
        var m = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", Datasets.Load("sleepstudy"), options);
        Assert.False(m.Converged);
        Assert.Equal(OptimizationStatus.MaxEvaluations, m.Optimization.Status);
        Assert.Contains(m.Warnings, w => w.Contains("limit"));
        Assert.Contains("convergence code: 1", m.Summary());
        Assert.Contains("\"converged\": false", m.ToJson());
    }

    [Fact]
    public void ASingularFitIsReportedAsLme4Does()
    {
        var m = LinearMixedModel.Fit("Yield ~ 1 + (1 | Batch)", Datasets.Load("dyestuff2"));
        Assert.True(m.Singular);
        Assert.Equal(0, m.Theta[0]);
        Assert.Contains("boundary (singular) fit: see help('isSingular')", m.Warnings);
        Assert.EndsWith("boundary (singular) fit: see help('isSingular')\n", m.Summary());
    }

    [Fact]
    public void RefitByMaximumLikelihoodGivesTheMlFit()
    {
        var reml = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", Datasets.Load("sleepstudy"));
        var ml = reml.Refit(reml: false);
        Assert.False(ml.Reml);
        Assert.Equal(1751.93934449, ml.Objective, 5);
    }

    [Fact]
    public void TheWorkspaceStageGivesTheSameFit()
    {
        var design = MixedModels.Design.ModelDesign.Build("diameter ~ 1 + (1 | plate) + (1 | sample)", Datasets.Load("penicillin"));
        var ws = new LmmWorkspace(design, reml: true);
        var viaWorkspace = LinearMixedModel.Fit(ws);
        var direct = LinearMixedModel.Fit(design);
        Assert.Equal(direct.Objective, viaWorkspace.Objective, 10);
        Assert.Equal(direct.Objective, direct.CreateWorkspace().Objective(direct.Theta.ToArray()), 10);
    }

    [Fact]
    public void ResultCollectionsCannotBeModified()
    {
        var m = LinearMixedModel.Fit("Yield ~ 1 + (1 | Batch)", Datasets.Load("dyestuff"));
        Assert.False(m.Theta is double[]);
        var cov = m.FixedEffectsCovariance();
        cov[0, 0] = -1;
        Assert.NotEqual(-1, m.FixedEffectsCovariance()[0, 0]);
    }

    [Fact]
    public void AModelWithoutFixedEffectsFits()
    {
        var m = LinearMixedModel.Fit("Reaction ~ 0 + (1 | Subject)", Datasets.Load("sleepstudy"));
        Assert.Empty(m.FixedEffects);
        Assert.True(m.Converged);
        Assert.DoesNotContain("Fixed effects:", m.Summary());
    }
}

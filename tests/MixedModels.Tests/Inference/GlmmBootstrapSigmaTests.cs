using MixedModels.Data;
using MixedModels.Families;
using MixedModels.Inference;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Inference;

/// <summary>Bootstrap intervals of a glmer fit with a dispersion (Gamma, inverse Gaussian) include σ, as lme4's confint(method = "boot").</summary>
public sealed class GlmmBootstrapSigmaTests
{
    [Fact]
    public void AGammaFitsIntervalsIncludeSigma()
    {
        var m = GeneralizedLinearMixedModel.Fit("Reaction ~ Days + (1 | Subject)", Datasets.Load("sleepstudy"), new() { Family = Family.Create("Gamma", "log") });
        var ci = GlmmIntervals.Bootstrap(m, 30, seed: 2);
        Assert.Equal(["sd_(Intercept)|Subject", "sigma", "(Intercept)", "Days"], ci.Select(c => c.Parameter));
        var sigma = ci.Single(c => c.Parameter == "sigma");
        Assert.Equal(m.Sigma, sigma.Estimate, 12);
        Assert.True(sigma.Lower < m.Sigma && m.Sigma < sigma.Upper, $"{sigma}");
        Assert.True(sigma.Lower > 0);
        var binomial = GeneralizedLinearMixedModel.Fit("cbind(incidence, size - incidence) ~ period + (1 | herd)", Datasets.Load("cbpp"), new() { Family = Family.Create("binomial") });
        Assert.DoesNotContain(GlmmIntervals.Bootstrap(binomial, 10, seed: 1), c => c.Parameter == "sigma");
    }
}

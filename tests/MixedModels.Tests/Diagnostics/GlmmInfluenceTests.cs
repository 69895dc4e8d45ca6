using MixedModels.Data;
using MixedModels.Diagnostics;
using MixedModels.Families;
using MixedModels.Results;
using MixedModels.Tests.Cli;
using Xunit;

namespace MixedModels.Tests.Diagnostics;

/// <summary>
/// Cluster deletion for a glmer fit (issue 11), against R: glmer on cbpp without herd 1 (bobyqa, tolPwrss = 1e-13) gives
/// β = (-1.374992732, -1.162540531, -1.474266114, -1.583295687), and with the tightly fitted full model's vcov the
/// Cook's distance (Δβ)'V⁻¹(Δβ)/4 = 0.34227891.
/// </summary>
public sealed class GlmmInfluenceTests
{
    [Fact]
    public void DeletingAHerdMatchesGlmerWithoutIt()
    {
        var m = GeneralizedLinearMixedModel.Fit("cbind(incidence, size - incidence) ~ period + (1 | herd)", Datasets.Load("cbpp"), new() { Family = Family.Create("binomial") });
        var rows = ClusterInfluence.Compute(m, "herd");
        Assert.Equal(15, rows.Count);
        var herd1 = rows[0];
        Assert.Equal("1", herd1.Level);
        double[] r = [-1.374992732, -1.162540531, -1.474266114, -1.583295687];
        for (int i = 0; i < r.Length; i++) Assert.Equal(r[i], herd1.FixedEffects[i], 4);
        Assert.Equal(0.34227891, herd1.CooksDistance, 3);
        Assert.Equal(1, herd1.Sigma);
        var (code, text, _) = CliTests.Run("influence", "--data", "cbpp", "--family", "binomial", "--formula", "cbind(incidence, size - incidence) ~ period + (1 | herd)", "--format", "csv");
        Assert.Equal(0, code);
        Assert.StartsWith("level,n,cooks.distance,sigma,(Intercept),period2,period3,period4\n1,4,0.3422", text);
    }
}

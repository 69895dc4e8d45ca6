using System.Text.Json;
using MixedModels.Data;
using MixedModels.Families;
using MixedModels.Inference;
using MixedModels.Results;
using MixedModels.Tests.Reference;
using Xunit;

namespace MixedModels.Tests.Inference;

/// <summary>
/// Profile intervals of a glmer fit's vector-valued term against lme4's confint(method = "profile")
/// (tools/reference-glmm-profile.R: Contraception, use ~ age + urban + (urban | district)). The SDs agree to 1e-4;
/// for the correlation lme4 itself warns "non-monotonic profile ... bad spline fit: falling back to linear
/// interpolation", so its limits are interpolated and agree to 3e-3 only (the limits here are found by root-finding
/// on the profile directly).
/// </summary>
public sealed class GlmmVectorProfileTests
{
    [Fact]
    public void SdsAndTheCorrelationOfAVectorTermAreProfiled()
    {
        var r = JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceRecord.Directory("glmm-inference"), "contraception_profile.json"))).RootElement;
        var m = GeneralizedLinearMixedModel.Fit(r.GetProperty("formula").GetString()!, Datasets.Load("contraception"), new() { Family = Family.Create("binomial") });
        var ci = GlmmProfile.Intervals(m).ToDictionary(c => c.Parameter);
        var names = r.GetProperty("parameters").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var lower = r.GetProperty("lower").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var upper = r.GetProperty("upper").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < names.Length; i++)
        {
            var c = ci[names[i]];
            bool correlation = names[i].StartsWith("cor_", StringComparison.Ordinal);
            double tol(double v) => correlation ? 3e-3 : 1e-4 * Math.Abs(v);
            Assert.True(Math.Abs(c.Lower - lower[i]) <= tol(lower[i]), $"{names[i]} lower {c.Lower} vs lme4 {lower[i]}");
            Assert.True(Math.Abs(c.Upper - upper[i]) <= tol(upper[i]), $"{names[i]} upper {c.Upper} vs lme4 {upper[i]}");
            Assert.True(c.Lower < c.Estimate && c.Estimate < c.Upper);
        }
    }
}

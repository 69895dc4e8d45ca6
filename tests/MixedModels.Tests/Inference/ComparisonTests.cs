using MixedModels.Data;
using MixedModels.Estimation;
using MixedModels.Inference;
using MixedModels.Results;
using MixedModels.Tests.Reference;
using Xunit;

namespace MixedModels.Tests.Inference;

/// <summary>
/// Likelihood-ratio comparisons against lme4's <c>anova()</c> (sleepstudy_anova in the shared set, orthodont_anova and
/// the lm baseline comparison from tools/reference-inference.R), and models without random effects against R's
/// <c>lm</c> (sleepstudy_ols in the shared set, hsb_ols).
/// </summary>
public sealed class ComparisonTests
{
    private static void Rel(string what, double ours, double theirs, double tol)
    {
        if (double.IsNaN(theirs)) { Assert.True(double.IsNaN(ours), $"{what}: ours {ours}, R NA"); return; }
        double err = Math.Abs(ours - theirs) / Math.Max(Math.Abs(theirs), 1e-300);
        Assert.True(err <= tol, $"{what}: ours {ours:R}, R {theirs:R} (relative error {err:E2})");
    }

    private static ModelComparison CompareRecord(ReferenceRecord r, string[]? labels = null)
    {
        var data = Datasets.Load(r.DataName);
        string dataName = r.Root.TryGetProperty("r_table", out var t) ? t.GetString()!.Split('\n')[0].Replace("Data: ", "") : r.DataName;
        var formulas = ReferenceRecord.Strings(r.Root.GetProperty("formulas"));
        var models = formulas.Select(f => LinearMixedModel.Fit(f, data, dataName: dataName)).ToArray();
        return labels is null ? ModelComparison.Compare(models) : ModelComparison.Compare(labels, models);
    }

    private static void AssertRowsMatch(ModelComparison c, ReferenceRecord r)
    {
        string[] fields = ["npar", "aic", "bic", "loglik", "deviance", "chisq", "df", "p"];
        for (int i = 0; i < c.Rows.Count; i++)
        {
            var row = c.Rows[i];
            double[] ours = [row.Npar, row.Aic, row.Bic, row.LogLikelihood, row.Deviance, row.ChiSquare, i == 0 ? double.NaN : row.Df, row.PValue];
            for (int f = 0; f < fields.Length; f++)
                if (r.Root.TryGetProperty(fields[f], out _))
                    Rel($"row {i + 1} {fields[f]}", ours[f], r.Numbers(fields[f])[i], fields[f] == "p" ? 1e-4 : 1e-6);
        }
    }

    [Fact]
    public void SleepstudyComparisonMatchesLme4()
    {
        var r = ReferenceRecord.Load("fits", "sleepstudy_anova");
        var c = CompareRecord(r);
        AssertRowsMatch(c, r);
        Assert.All(c.Rows, row => Assert.True(row.RefittedMl));
        Assert.Contains("refitting model(s) with ML (instead of REML)", c.Warnings);
        PrintedText.AssertSameLayout(r.Root.GetProperty("r_table").GetString()!, c.ToString());
    }

    [Fact]
    public void OrthodontComparisonMatchesLme4WithLabelsAndStars()
    {
        var r = ReferenceRecord.Load("inference", "orthodont_anova");
        var c = CompareRecord(r, ["o1", "o2", "o3"]);
        AssertRowsMatch(c, r);
        PrintedText.AssertSameLayout(r.Root.GetProperty("r_table").GetString()!, c.ToString());
    }

    [Fact]
    public void ModelsAreSortedByParameterCount()
    {
        var data = Datasets.Load("sleepstudy");
        var big = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", data);
        var small = LinearMixedModel.Fit("Reaction ~ Days + (1 | Subject)", data);
        var c = ModelComparison.Compare(big, small);
        Assert.Equal(["MODEL2", "MODEL1"], c.Rows.Select(x => x.Label));
        Assert.Equal(2, c.Rows[1].Df);
        Assert.StartsWith("Data: data\nModels:\nMODEL1: Reaction ~ Days + (Days | Subject)\nMODEL2:", c.ToString());
    }

    [Fact]
    public void LinearModelIsTheBaseRowOfAComparison()
    {
        var r = ReferenceRecord.Load("inference", "sleepstudy_base_comparison");
        var data = Datasets.Load("sleepstudy");
        var models = ReferenceRecord.Strings(r.Root.GetProperty("formulas"))
            .Select(f => LinearMixedModel.Fit(f, data, new FitOptions { Reml = false })).ToArray();
        var c = ModelComparison.Compare(models);
        AssertRowsMatch(c, r);
        Assert.DoesNotContain(c.Rows, row => row.RefittedMl);
        Assert.Empty(c.Warnings);
        // Adding a random intercept tests a variance on the boundary: half the χ²₁ tail.
        Rel("boundary p", c.Rows[1].BoundaryPValue, r.Numbers("p_boundary")[1], 1e-4);
        Assert.True(double.IsNaN(c.Rows[0].BoundaryPValue));
    }

    [Fact]
    public void ModelsFittedToDifferentRowsAreRefused()
    {
        var data = Datasets.Load("sleepstudy_missing");
        var m1 = LinearMixedModel.Fit("Reaction ~ 1 + (1 | Subject)", Datasets.Load("sleepstudy"));
        var m2 = LinearMixedModel.Fit("Reaction ~ Days + (1 | Subject)", data);
        var e = Assert.Throws<ModelException>(() => ModelComparison.Compare(m1, m2));
        Assert.Contains("not fitted to the same rows", e.Message);
        Assert.Contains($"{m1.Observations} and {m2.Observations} observations", e.Message);
    }

    [Fact]
    public void NonNestedModelsGetAWarning()
    {
        var data = Datasets.Load("orthodont");
        var a = LinearMixedModel.Fit("distance ~ age + (1 | Subject)", data);
        var b = LinearMixedModel.Fit("distance ~ Sex + (age | Subject)", data);
        var c = ModelComparison.Compare(a, b);
        Assert.Contains(c.Warnings, w => w.Contains("may not be nested", StringComparison.Ordinal));
    }

    [Fact]
    public void SleepstudyOlsMatchesLm()
    {
        var r = ReferenceRecord.Load("fits", "sleepstudy_ols");
        var data = Datasets.Load("sleepstudy");
        var ml = LinearMixedModel.Fit(r.Formula, data, new FitOptions { Reml = false });
        var fixef = r.Root.GetProperty("fixef");
        var est = ReferenceRecord.Numbers(fixef.GetProperty("estimate"));
        var seMl = ReferenceRecord.Numbers(fixef.GetProperty("se_ml"));
        var seOls = ReferenceRecord.Numbers(fixef.GetProperty("se_ols"));
        for (int i = 0; i < est.Length; i++)
        {
            Rel("estimate", ml.FixedEffects[i].Estimate, est[i], 1e-8);
            Rel("ML standard error", ml.FixedEffects[i].StandardError, seMl[i], 1e-8);
        }
        Rel("sigma (ML)", ml.Sigma, r.Number("sigma_ml"), 1e-8);
        Rel("logLik", ml.LogLikelihood, r.Number("loglik"), 1e-10);
        Rel("AIC", ml.Aic, r.Number("aic"), 1e-10);
        Rel("BIC", ml.Bic, r.Number("bic"), 1e-10);
        Assert.True(ml.Converged);
        Assert.Empty(ml.Theta);

        var s = LinearModelSummary.Compute(ml);
        for (int i = 0; i < est.Length; i++) Rel("OLS standard error", s.Coefficients[i].StandardError, seOls[i], 1e-8);
        Rel("sigma (OLS)", s.ResidualStandardError, r.Number("sigma_ols"), 1e-8);
        Rel("R²", s.RSquared, r.Number("r_squared"), 1e-8);
        Rel("adjusted R²", s.AdjustedRSquared, r.Number("adj_r_squared"), 1e-8);
        var f = r.Numbers("fstatistic");
        Rel("F", s.FStatistic, f[0], 1e-8);
        Assert.Equal((int)f[1], s.NumeratorDf);
        Assert.Equal((int)f[2], s.ResidualDf);

        // REML for a linear model gives the OLS σ and standard errors.
        var reml = LinearMixedModel.Fit(r.Formula, data);
        Rel("sigma (REML)", reml.Sigma, r.Number("sigma_ols"), 1e-8);
        Rel("REML standard error", reml.FixedEffects[1].StandardError, seOls[1], 1e-8);
    }

    [Fact]
    public void HsbOlsSummaryIsRsPrintout()
    {
        var r = ReferenceRecord.Load("inference", "hsb_ols");
        var m = LinearMixedModel.Fit(r.Formula, Datasets.Load("hsb"), dataName: "h");
        var s = LinearModelSummary.Compute(m);
        var t = ReferenceRecord.Numbers(r.Root.GetProperty("fixef").GetProperty("t"));
        for (int i = 0; i < t.Length; i++) Rel("t", s.Coefficients[i].TValue, t[i], 1e-8);
        Rel("R²", s.RSquared, r.Number("r_squared"), 1e-8);
        Assert.Equal(r.Root.GetProperty("lm_summary").GetString(), m.Summary());
        Assert.Throws<ModelException>(() => LinearModelSummary.Compute(LinearMixedModel.Fit("MathAch ~ SES + (1 | School)", Datasets.Load("hsb"))));
    }
}

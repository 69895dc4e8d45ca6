using System.Text.Json;
using MixedModels.Data;
using MixedModels.Results;
using MixedModels.Tests.Reference;
using Xunit;
using Xunit.Abstractions;

namespace MixedModels.Tests.Results;

/// <summary>Predictions on new data against lme4's <c>predict()</c> (the shared *_predict.json), and their intervals.</summary>
public sealed class PredictionTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> PredictRecords() =>
        new[] { "sleepstudy_predict", "hsb_predict", "penicillin_predict" }.Select(id => new object[] { id });

    /// <summary>The record's newdata as a table: strings become categorical columns, numbers numeric ones.</summary>
    internal static Table NewData(JsonElement newdata)
    {
        var columns = new List<Column>();
        foreach (var p in newdata.EnumerateObject())
        {
            var values = p.Value.EnumerateArray().ToArray();
            if (values.All(v => v.ValueKind == JsonValueKind.Number))
                columns.Add(new NumericColumn(p.Name, values.Select(v => v.GetDouble()).ToArray()));
            else
            {
                var text = values.Select(v => v.GetString()!).ToArray();
                var levels = text.Distinct().Order(StringComparer.Ordinal).ToArray();
                columns.Add(new CategoricalColumn(p.Name, text.Select(t => Array.IndexOf(levels, t)).ToArray(), levels));
            }
        }
        return new Table(columns);
    }

    /// <summary>
    /// Against lme4's predictions to 1e-6 relative. Where lme4's default optimizer stopped early on the model
    /// (hsb_cross_level, see ReferenceFitTests) its predictions carry that error; they are then compared with the
    /// predictions of the tightly converged fit (tools/reference-predict.R), and the test output says so.
    /// </summary>
    [Theory]
    [MemberData(nameof(PredictRecords))]
    public void PredictionsMatchLme4(string id)
    {
        var r = ReferenceRecord.Load("fits", id);
        var m = r.Fit();
        var data = NewData(r.Root.GetProperty("newdata"));
        var pop = m.Predict(data, PredictOptions.Population);
        var cond = m.Predict(data);
        var errors = Compare(r, pop, cond);
        if (errors.Count == 0) { output.WriteLine($"{id}: matches lme4's predictions"); return; }
        var tight = ReferenceRecord.Load("tight", id);
        var tightErrors = Compare(tight, pop, cond);
        Assert.True(tightErrors.Count == 0, string.Join("\n", tightErrors));
        output.WriteLine($"{id}: matches the predictions of the tightly converged fit; lme4's default fit stopped early:");
        foreach (string e in errors) output.WriteLine("  " + e);
    }

    private static List<string> Compare(ReferenceRecord r, IReadOnlyList<Prediction> pop, IReadOnlyList<Prediction> cond)
    {
        var errors = new List<string>();
        var population = r.Numbers("population");
        var conditional = r.Numbers("conditional");
        for (int i = 0; i < population.Length; i++)
        {
            if (!(Math.Abs(pop[i].Fit - population[i]) <= 1e-6 * Math.Abs(population[i]))) errors.Add($"population[{i}]: {pop[i].Fit:R} vs lme4 {population[i]:R}");
            if (!(Math.Abs(cond[i].Fit - conditional[i]) <= 1e-6 * Math.Abs(conditional[i]))) errors.Add($"conditional[{i}]: {cond[i].Fit:R} vs lme4 {conditional[i]:R}");
        }
        return errors;
    }

    [Fact]
    public void ConditionalPredictionOfTheDataIsTheFittedValues()
    {
        var data = Datasets.Load("orthodont");
        var m = LinearMixedModel.Fit("distance ~ age * Sex + (age | Subject)", data);
        var p = m.Predict(data);
        for (int i = 0; i < data.RowCount; i++) Assert.Equal(m.Fitted[i], p[i].Fit, 10);
    }

    [Fact]
    public void UnseenLevelsAndChosenGroups()
    {
        var m = LinearMixedModel.Fit("diameter ~ 1 + (1 | plate) + (1 | sample)", Datasets.Load("penicillin"));
        var data = NewData(JsonDocument.Parse("""{"plate": ["a", "zz"], "sample": ["A", "A"]}""").RootElement);
        var all = m.Predict(data);
        var plateOnly = m.Predict(data, new PredictOptions { Groups = ["plate"] });
        var pop = m.Predict(data, PredictOptions.Population);
        Assert.Equal(["plate"], all[1].NewLevels);
        Assert.Empty(all[0].NewLevels);
        double plateA = m.RandomEffects().Single(t => t.Group == "plate").Mode(0, 0);
        Assert.Equal(pop[0].Fit + plateA, plateOnly[0].Fit, 10);
        Assert.Equal(pop[1].Fit, plateOnly[1].Fit, 10);
        Assert.Throws<ModelException>(() => m.Predict(data, new PredictOptions { Groups = ["batch"] }));
    }

    [Fact]
    public void BadNewDataAreClearErrors()
    {
        var m = LinearMixedModel.Fit("MathAch ~ SES + Sector + (1 | School)", Datasets.Load("hsb"));
        var unknownLevel = NewData(JsonDocument.Parse("""{"SES": [0], "Sector": ["Private"], "School": ["1224"]}""").RootElement);
        var e = Assert.Throws<ModelException>(() => m.Predict(unknownLevel));
        Assert.Contains("level 'Private' of factor 'Sector'", e.Message);
        Assert.Contains("Catholic, Public", e.Message);
        var missingColumn = NewData(JsonDocument.Parse("""{"SES": [0], "School": ["1224"]}""").RootElement);
        var f = Assert.Throws<FormulaException>(() => m.Predict(missingColumn));
        Assert.Contains("no column 'Sector'", f.Message);
        var missingValue = new Table([new NumericColumn("SES", [double.NaN, 1]), new CategoricalColumn("Sector", [0, 1], ["Catholic", "Public"]),
            new CategoricalColumn("School", [0, 0], ["1224"])]);
        var p = m.Predict(missingValue);
        Assert.True(double.IsNaN(p[0].Fit));
        Assert.False(double.IsNaN(p[1].Fit));
    }

    [Fact]
    public void IntervalsAreTheExactVariances()
    {
        // Sleepstudy is small enough to build the joint system [ΛZ'ZΛ + I, ΛZ'X; X'ZΛ, X'X] densely and invert it.
        var data = Datasets.Load("sleepstudy");
        var m = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", data);
        var design = m.Design;
        var term = design.RandomTerms[0];
        int n = m.Observations, q = term.RandomEffectCount, p = 2, d = 2;
        var t = new double[d, d];
        t[0, 0] = m.Theta[0]; t[1, 0] = m.Theta[1]; t[1, 1] = m.Theta[2];
        var w = new double[n, q + p]; // [ZΛ X]
        for (int i = 0; i < n; i++)
        {
            int l = term.Codes[i];
            for (int c = 0; c < d; c++)
            {
                double s = 0;
                for (int r = 0; r < d; r++) s += term.Z[i * d + r] * t[r, c];
                w[i, l * d + c] = s;
            }
            for (int c = 0; c < p; c++) w[i, q + c] = design.X[i, c];
        }
        var mm = new double[q + p, q + p];
        for (int a = 0; a < q + p; a++)
            for (int b = 0; b < q + p; b++)
            {
                double s = a == b && a < q ? 1 : 0;
                for (int i = 0; i < n; i++) s += w[i, a] * w[i, b];
                mm[a, b] = s;
            }
        var inverse = MixedModels.LinearAlgebra.SmallMatrix.InverseSpd(mm)!;
        var newData = new Table([new NumericColumn("Days", [2.5, 7]), new CategoricalColumn("Subject", [0, 1], ["309", "999"])]);
        var conf = m.Predict(newData, new PredictOptions { Interval = PredictionInterval.Confidence });
        var pred = m.Predict(newData, new PredictOptions { Interval = PredictionInterval.Prediction });
        double s2 = m.Sigma * m.Sigma;
        // Row 0: subject 309 (level 1): a = [Λ'z at level 1; x].
        var av = new double[q + p];
        av[1 * d + 0] = t[0, 0] * 1 + t[1, 0] * 2.5;
        av[1 * d + 1] = t[1, 1] * 2.5;
        av[q] = 1; av[q + 1] = 2.5;
        double quad = 0;
        for (int a = 0; a < q + p; a++) for (int b = 0; b < q + p; b++) quad += av[a] * inverse[a, b] * av[b];
        Assert.Equal(Math.Sqrt(s2 * quad), conf[0].StandardError, 8);
        Assert.Equal(Math.Sqrt(s2 * quad + s2), pred[0].StandardError, 8);
        Assert.Equal(conf[0].Fit - 1.959963984540054 * conf[0].StandardError, conf[0].Lower, 8);
        // Row 1: an unseen subject: the confidence interval is the fixed part's, the prediction interval adds z'Σz + σ².
        var vb = m.FixedEffectsCovariance();
        double fixedVar = vb[0, 0] + 2 * 7 * vb[0, 1] + 49 * vb[1, 1];
        Assert.Equal(Math.Sqrt(fixedVar), conf[1].StandardError, 8);
        Assert.Equal(Math.Sqrt(fixedVar), conf[1].FixedStandardError, 8);
        var vc = m.VarianceComponents[0];
        double zSz = vc.Variance(0) + 2 * 7 * vc.Covariance(0, 1) + 49 * vc.Variance(1);
        Assert.Equal(Math.Sqrt(fixedVar + zSz + s2), pred[1].StandardError, 8);
    }
}

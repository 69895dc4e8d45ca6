using System.Text.Json;
using MixedModels.Inference;
using MixedModels.Results;
using MixedModels.Tests.Reference;
using Xunit;
using Xunit.Abstractions;

namespace MixedModels.Tests.Inference;

/// <summary>
/// Satterthwaite and Kenward-Roger t tests, type III ANOVA tables and lmerTest's printed summary and anova,
/// against lmerTest 3.1-3 and pbkrtest 0.5.2 on tightly converged fits (tools/reference-inference.R).
/// </summary>
public sealed class InferenceReferenceTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, LinearMixedModel> Cache = new();

    public static IEnumerable<object[]> Ids(string property) =>
        Directory.GetFiles(ReferenceRecord.Directory("inference"), "*.json").Select(Path.GetFileNameWithoutExtension).Order()
            .Where(id => ReferenceRecord.Load("inference", id!).Root is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty(property, out _)).Select(id => new object[] { id! });

    public static IEnumerable<object[]> WithCoefficients() => Ids("coef");
    public static IEnumerable<object[]> WithKenwardRoger() => Ids("coef_kr");
    public static IEnumerable<object[]> WithAnova() => Ids("anova_satterthwaite");
    public static IEnumerable<object[]> WithAnovaKr() => Ids("anova_kr");
    public static IEnumerable<object[]> WithVarcomp() => Ids("varcomp");
    public static IEnumerable<object[]> WithR2() => Ids("r2");
    public static IEnumerable<object[]> WithIcc() => Ids("icc");

    internal static LinearMixedModel Fit(string id)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(id, out var m)) Cache[id] = m = ReferenceRecord.Load("inference", id).Fit();
            return m;
        }
    }

    private static void Close(string what, double ours, double theirs, double tol, List<string> errors)
    {
        if (double.IsNaN(ours) && double.IsNaN(theirs)) return;
        if (theirs == 0)
        {
            if (!(Math.Abs(ours) <= 1e-12)) errors.Add($"{what}: ours {ours:R}, R 0");
            return;
        }
        double err = Math.Abs(ours - theirs) / Math.Max(Math.Abs(theirs), 1e-300);
        if (!(err <= tol)) errors.Add($"{what}: ours {ours:R}, R {theirs:R} (relative error {err:E2})");
    }

    [Theory]
    [MemberData(nameof(WithCoefficients))]
    public void SatterthwaiteMatchesLmerTest(string id)
    {
        var r = ReferenceRecord.Load("inference", id);
        var coef = r.Root.GetProperty("coef");
        var tests = Satterthwaite.Compute(Fit(id)).Coefficients();
        var df = ReferenceRecord.Numbers(coef.GetProperty("df"));
        var p = ReferenceRecord.Numbers(coef.GetProperty("p"));
        var errors = new List<string>();
        for (int i = 0; i < tests.Count; i++)
        {
            Close($"df[{tests[i].Name}]", tests[i].Df, df[i], 1e-3, errors);
            Close($"p[{tests[i].Name}]", tests[i].PValue, p[i], 1e-3, errors);
        }
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(WithKenwardRoger))]
    public void KenwardRogerMatchesPbkrtest(string id)
    {
        var r = ReferenceRecord.Load("inference", id);
        var coef = r.Root.GetProperty("coef_kr");
        var tests = KenwardRoger.Compute(Fit(id)).Coefficients();
        var df = ReferenceRecord.Numbers(coef.GetProperty("df"));
        var se = ReferenceRecord.Numbers(coef.GetProperty("se"));
        var p = ReferenceRecord.Numbers(coef.GetProperty("p"));
        var errors = new List<string>();
        for (int i = 0; i < tests.Count; i++)
        {
            Close($"df[{tests[i].Name}]", tests[i].Df, df[i], 1e-3, errors);
            Close($"se[{tests[i].Name}]", tests[i].StandardError, se[i], 1e-4, errors);
            Close($"p[{tests[i].Name}]", tests[i].PValue, p[i], 1e-3, errors);
        }
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static void CompareAnova(AnovaTable table, JsonElement rows, List<string> errors)
    {
        var list = rows.ValueKind == JsonValueKind.Array ? rows.EnumerateArray().ToArray() : [rows];
        Assert.Equal(list.Select(x => x.GetProperty("term").GetString()), table.Rows.Select(x => x.Term));
        for (int i = 0; i < list.Length; i++)
        {
            var o = table.Rows[i];
            Close($"{o.Term} F", o.FValue, list[i].GetProperty("f").GetDouble(), 1e-4, errors);
            Close($"{o.Term} NumDF", o.NumDf, list[i].GetProperty("numdf").GetDouble(), 0, errors);
            Close($"{o.Term} DenDF", o.DenDf, list[i].GetProperty("dendf").GetDouble(), 1e-3, errors);
            Close($"{o.Term} p", o.PValue, list[i].GetProperty("p").GetDouble(), 1e-3, errors);
            Close($"{o.Term} Sum Sq", o.SumSq, list[i].GetProperty("sumsq").GetDouble(), 1e-4, errors);
        }
    }

    [Theory]
    [MemberData(nameof(WithAnova))]
    public void TypeIIIAnovaMatchesLmerTest(string id)
    {
        var r = ReferenceRecord.Load("inference", id);
        var table = AnovaTable.TypeIII(Fit(id));
        var errors = new List<string>();
        CompareAnova(table, r.Root.GetProperty("anova_satterthwaite"), errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        string expected = r.Root.GetProperty("lmertest_anova").GetString()!;
        output.WriteLine(table.ToString());
        var problems = PrintedText.Compare(PrintedText.Lines(table.ToString()), PrintedText.Lines(expected), out bool identical);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        output.WriteLine(identical ? "identical to lmerTest's anova" : "lmerTest's layout, numbers within a last digit");
    }

    [Theory]
    [MemberData(nameof(WithAnovaKr))]
    public void KenwardRogerAnovaMatchesLmerTest(string id)
    {
        var r = ReferenceRecord.Load("inference", id);
        var errors = new List<string>();
        CompareAnova(AnovaTable.TypeIII(Fit(id), DdfMethod.KenwardRoger), r.Root.GetProperty("anova_kr"), errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(WithCoefficients))]
    public void SummaryHasLmerTestLayout(string id)
    {
        var r = ReferenceRecord.Load("inference", id);
        string expected = r.Root.GetProperty("lmertest_summary").GetString()!.TrimEnd('\n');
        string ours = Fit(id).Summary().TrimEnd('\n');
        output.WriteLine(ours);
        var problems = PrintedText.Compare(PrintedText.Lines(ours), PrintedText.Lines(expected), out bool identical);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        output.WriteLine(identical ? "identical to lmerTest's summary" : "lmerTest's layout, numbers within a last digit");
    }
    [Theory]
    [MemberData(nameof(WithVarcomp))]
    public void VarianceComponentStandardErrorsMatchObservedInformation(string id)
    {
        var r = ReferenceRecord.Load("inference", id);
        var vc = r.Root.GetProperty("varcomp");
        var names = ReferenceRecord.Strings(vc.GetProperty("names"));
        var estimate = ReferenceRecord.Numbers(vc.GetProperty("estimate"));
        var se = ReferenceRecord.Numbers(vc.GetProperty("se"));
        var m = Fit(id);
        var ours = VarianceComponentErrors.Compute(m);
        Assert.Equal(names, ours.Select(v => $"{v.Group}|{v.Term1 ?? "NA"}|{v.Term2 ?? "NA"}"));
        var errors = new List<string>();
        for (int i = 0; i < names.Length; i++)
        {
            Close($"{names[i]} estimate", ours[i].Estimate, estimate[i], 1e-4, errors);
            // On a singular fit the information is singular and R's numerical Hessian is not meaningful there.
            if (!m.Singular) Close($"{names[i]} SE", ours[i].StandardError, se[i], 1e-3, errors);
            output.WriteLine($"{names[i],-32} {ours[i].Estimate,14:G8} {ours[i].StandardError,14:G8}   R {estimate[i],14:G8} {se[i],14:G8}");
        }
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    /// <summary>
    /// The variance parts against insight 0.19's <c>get_variance</c>: fixed and residual always; the random part
    /// against insight's own where insight keeps every term, and otherwise (the second term of <c>(x || g)</c>, which
    /// insight leaves out, easystats/insight#304) against the same sum over every VarCorr entry made in R.
    /// </summary>
    [Theory]
    [MemberData(nameof(WithR2))]
    public void VarianceDecompositionMatchesInsight(string id)
    {
        var r = ReferenceRecord.Load("inference", id);
        var v = VarianceExplained.Compute(Fit(id));
        var parts = r.Root.GetProperty("variance_parts");
        bool drops = parts.GetProperty("insight_drops_terms").GetBoolean();
        var errors = new List<string>();
        Close("fixed variance", v.FixedVariance, parts.GetProperty("fixed").GetDouble(), 1e-5, errors);
        Close("random variance", v.RandomVariance, parts.GetProperty(drops ? "random_all_terms" : "random").GetDouble(), 1e-4, errors);
        Close("residual variance", v.ResidualVariance, parts.GetProperty("residual").GetDouble(), 1e-4, errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(WithR2))]
    public void NakagawaR2MatchesPerformance(string id)
    {
        var r = ReferenceRecord.Load("inference", id);
        if (r.Root.GetProperty("variance_parts").GetProperty("insight_drops_terms").GetBoolean()) return; // see above
        var v = VarianceExplained.Compute(Fit(id));
        var r2 = r.Root.GetProperty("r2");
        var errors = new List<string>();
        Close("marginal R²", v.MarginalR2, r2.GetProperty("marginal").GetDouble(), 1e-5, errors);
        Close("conditional R²", v.ConditionalR2, r2.GetProperty("conditional").GetDouble(), 1e-5, errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(WithIcc))]
    public void IccMatchesPerformance(string id)
    {
        var r = ReferenceRecord.Load("inference", id);
        var v = VarianceExplained.Compute(Fit(id));
        Assert.Equal(v.RandomVariance, v.Groups.Sum(g => g.Variance), 10);
        if (r.Root.GetProperty("variance_parts").GetProperty("insight_drops_terms").GetBoolean()) return; // see above
        var icc = r.Root.GetProperty("icc");
        var errors = new List<string>();
        Close("adjusted ICC", v.AdjustedIcc, icc.GetProperty("adjusted").GetDouble(), 1e-5, errors);
        Close("conditional ICC", v.ConditionalIcc, icc.GetProperty("conditional").GetDouble(), 1e-5, errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}

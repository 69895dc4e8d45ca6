using MixedModels.Design;
using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>
/// nlme's denominator degrees of freedom for the fixed effects of an lme fit (<c>getFixDF</c>, Pinheiro &amp; Bates
/// 2000, §2.4.2): the strata are the grouping levels from the outermost in, then the observations; stratum k has
/// nₖ − nₖ₋₁ degrees of freedom. A column of X belongs to the innermost stratum within whose groups it varies (the
/// outermost when it is constant within every level's groups) and takes one degree of freedom from it; the intercept
/// takes one from the outermost stratum and gets the largest df left, as every column constant over the data does.
/// </summary>
public static class NlmeDf
{
    /// <summary>The df of each fixed-effect column, in the model's order.</summary>
    public static int[] Compute(LinearMixedModel model) => Strata(model).Columns;

    /// <summary>
    /// The df of each term of the fixed-effects formula (nlme's <c>fixDF$terms</c>, the denominator df of its F tests):
    /// a term belongs to the innermost stratum of its columns and takes as many degrees of freedom as it has columns.
    /// </summary>
    public static int[] ComputeTerms(LinearMixedModel model) => Strata(model).Terms;

    /// <summary>
    /// The df of each fixed-effect column of a design (the data's own rows, before any structure's transform): nlme's
    /// strata for lme, n − p for gls (no random effects).
    /// </summary>
    internal static int[] Compute(ModelDesign design) =>
        design.RandomTerms.Count > 0 ? Strata(design).Columns : Enumerable.Repeat(design.Observations - design.X.Columns, design.X.Columns).ToArray();

    /// <summary>The df of each term of a design's fixed-effects formula (n − p for gls).</summary>
    internal static int[] ComputeTerms(ModelDesign design) =>
        design.RandomTerms.Count > 0 ? Strata(design).Terms : Enumerable.Repeat(design.Observations - design.X.Columns, design.X.TermLabels.Count).ToArray();

    private static (int[] Columns, int[] Terms) Strata(LinearMixedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Strata(model.Design);
    }

    private static (int[] Columns, int[] Terms) Strata(ModelDesign design)
    {
        int n = design.Observations, p = design.X.Columns;
        // The grouping levels from the outermost (fewest groups) in; one per distinct grouping factor.
        var levels = design.RandomTerms.DistinctBy(t => t.GroupName).OrderBy(t => t.LevelCount).ToArray();
        int q = levels.Length;
        var dfStrata = new int[q + 1];
        for (int k = 0; k <= q; k++) dfStrata[k] = (k < q ? levels[k].LevelCount : n) - (k == 0 ? 0 : levels[k - 1].LevelCount);
        var stratum = new int[p];
        var constant = new bool[p];
        for (int j = 0; j < p; j++)
        {
            var x = design.X.Column(j);
            constant[j] = IsConstant(x);
            if (constant[j]) continue;
            int s = 0;
            for (int k = 0; k < q; k++)
                if (VariesWithinGroups(x, levels[k].Codes)) s = k + 1;
            stratum[j] = s;
        }
        var byTerm = (int[])dfStrata.Clone();
        for (int j = 0; j < p; j++) if (!constant[j]) dfStrata[stratum[j]]--;
        if (constant.Any(c => c)) dfStrata[0]--;
        else for (int k = 1; k <= q; k++) dfStrata[k]++;
        int max = dfStrata.Max();
        var df = new int[p];
        for (int j = 0; j < p; j++) df[j] = constant[j] ? max : dfStrata[stratum[j]];
        // Terms: the innermost stratum of a term's varying columns; a term with none (the intercept) is constant.
        var assign = design.X.Assign;
        int terms = design.X.TermLabels.Count;
        var termStratum = new int[terms];
        var termVaries = new bool[terms];
        var termColumns = new int[terms];
        for (int j = 0; j < p; j++)
        {
            int t = assign[j];
            termColumns[t]++;
            if (constant[j]) continue;
            termVaries[t] = true;
            termStratum[t] = Math.Max(termStratum[t], stratum[j]);
        }
        for (int t = 0; t < terms; t++) if (termVaries[t]) byTerm[termStratum[t]] -= termColumns[t];
        if (termVaries.Any(v => !v)) byTerm[0]--;
        else for (int k = 1; k <= q; k++) byTerm[k]++;
        int maxTerm = byTerm.Max();
        var termDf = new int[terms];
        for (int t = 0; t < terms; t++) termDf[t] = termVaries[t] ? byTerm[termStratum[t]] : maxTerm;
        return (df, termDf);
    }

    /// <summary>nlme's test: every value within a relative √ε of the first (all exactly 0 when the first is 0).</summary>
    private static bool IsConstant(ReadOnlySpan<double> x)
    {
        if (x.Length == 0) return true;
        double first = x[0], tol = Math.Sqrt(2.220446049250313e-16);
        foreach (double v in x)
            if (!(Math.Abs(first == 0 ? v : v / first - 1) < tol)) return false;
        return true;
    }

    private static bool VariesWithinGroups(ReadOnlySpan<double> x, ReadOnlySpan<int> codes)
    {
        var first = new Dictionary<int, double>();
        for (int i = 0; i < x.Length; i++)
        {
            if (!first.TryGetValue(codes[i], out double v)) first[codes[i]] = x[i];
            else if (v != x[i]) return true;
        }
        return false;
    }
}

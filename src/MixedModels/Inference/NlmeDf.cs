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
    public static int[] Compute(LinearMixedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var design = model.Design;
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
        for (int j = 0; j < p; j++) if (!constant[j]) dfStrata[stratum[j]]--;
        if (constant.Any(c => c)) dfStrata[0]--;
        else for (int k = 1; k <= q; k++) dfStrata[k]++;
        int max = dfStrata.Max();
        var df = new int[p];
        for (int j = 0; j < p; j++) df[j] = constant[j] ? max : dfStrata[stratum[j]];
        return df;
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

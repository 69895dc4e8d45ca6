using MixedModels.Results;

namespace MixedModels.Diagnostics;

/// <summary>A level of a grouping factor ranked by its standardized conditional mode.</summary>
/// <param name="Group">The term's unique name (<c>Subject</c>, <c>Subject.1</c>).</param>
/// <param name="Level">The level.</param>
/// <param name="Term">The column (<c>(Intercept)</c>, <c>Days</c>).</param>
/// <param name="Mode">The conditional mode b̂ (EBLUP).</param>
/// <param name="ConditionalSd">Its conditional SD (how well the level's data pin it down).</param>
/// <param name="SamplingSd">The SD of the estimated effect itself over samples, √(τ² − conditional variance).</param>
/// <param name="Z">The standardized conditional mode, mode / sampling SD: about N(0, 1) for a level like the others.</param>
/// <param name="BlockChiSquare">For a vector-valued term, the level's whole block standardized: b̂'(Σ − C)⁻¹b̂ (χ² with the term's dimension as df); for a scalar term Z².</param>
public sealed record OutlyingLevel(string Group, string Level, string Term, double Mode, double ConditionalSd, double SamplingSd, double Z, double BlockChiSquare);

/// <summary>
/// Clusters that stand out: each level's conditional mode divided by the SD of its own sampling distribution (the
/// standardized EBLUP: Var(b̂) = Σ − Var(b | y), so √(τ² − conditional variance) for a scalar term, the block
/// Σ − C for a vector term), ranked — how a miscoding interviewer or a school with unusual results shows up among
/// the random effects. (Dividing by the conditional SD instead tests "different from zero", which most levels of a
/// well-estimated factor are: it flagged 44 of hsb's 160 schools.)
/// </summary>
public static class OutlyingGroups
{
    /// <summary>The rule, as the output states it.</summary>
    public const string Rule = "standardized conditional mode z = mode / sqrt(variance component - conditional variance)";

    /// <summary>Every (level, column), the most extreme |z| first.</summary>
    public static IReadOnlyList<OutlyingLevel> Rank(IMixedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var result = new List<OutlyingLevel>();
        var tables = model.RandomEffects();
        for (int t = 0; t < tables.Count; t++)
        {
            var table = tables[t];
            var sigma = model.VarianceComponents[t];
            int q = table.Columns.Count;
            for (int l = 0; l < table.Levels.Count; l++)
            {
                var block = new double[q, q];
                var b = new double[q];
                for (int i = 0; i < q; i++)
                {
                    b[i] = table.Mode(l, i);
                    for (int j = 0; j < q; j++) block[i, j] = sigma.Covariance(i, j) - table.ConditionalCovariance(l, i, j);
                }
                double chi2 = BlockStatistic(block, b);
                for (int c = 0; c < q; c++)
                {
                    double var = block[c, c], sd = var > 0 ? Math.Sqrt(var) : double.NaN;
                    result.Add(new OutlyingLevel(table.Name, table.Levels[l], table.Columns[c], b[c], table.ConditionalSd(l, c), sd, b[c] / sd, chi2));
                }
            }
        }
        return result.Where(o => double.IsFinite(o.Z)).OrderByDescending(o => Math.Abs(o.Z)).ToList().AsReadOnly();
    }

    /// <summary>The levels with |z| above <paramref name="threshold"/> (<see cref="Rank"/>), the most extreme first.</summary>
    public static IReadOnlyList<OutlyingLevel> Find(IMixedModel model, double threshold = 2.5)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(threshold > 0)) throw new ArgumentException($"the threshold must be positive (got {threshold})");
        return Rank(model).Where(o => Math.Abs(o.Z) > threshold).ToList().AsReadOnly();
    }

    private static double BlockStatistic(double[,] block, double[] b)
    {
        var inv = LinearAlgebra.SmallMatrix.InverseSpd(block);
        if (inv is null) return double.NaN;
        double s = 0;
        for (int i = 0; i < b.Length; i++) for (int j = 0; j < b.Length; j++) s += b[i] * inv[i, j] * b[j];
        return s;
    }
}

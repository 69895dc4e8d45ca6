using MixedModels.Design;

namespace MixedModels.Results;

/// <summary>One grouping factor's per-level coefficients (lme4's <c>coef(m)$group</c>): fixed plus random effects.</summary>
public sealed class GroupCoefficients
{
    private readonly double[,] _values;

    internal GroupCoefficients(string group, IReadOnlyList<string> levels, IReadOnlyList<string> columns, double[,] values)
    {
        Group = group;
        Levels = levels;
        Columns = columns;
        _values = values;
    }

    /// <summary>The grouping factor.</summary>
    public string Group { get; }

    /// <summary>Its levels.</summary>
    public IReadOnlyList<string> Levels { get; }

    /// <summary>The coefficient names.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The coefficient of a level.</summary>
    public double Value(int level, int column) => _values[level, column];

    /// <summary>
    /// lme4's <c>coef()</c>: per grouping factor, each level's coefficients — the fixed effects plus that level's
    /// random effects (all terms on the factor); a random-effects column that is not a fixed effect counts 0 as its
    /// fixed part and comes first, as in lme4.
    /// </summary>
    internal static IReadOnlyList<GroupCoefficients> Compute(ModelDesign design, IReadOnlyList<FixedEffect> fixedEffects, double[][] modes)
    {
        var result = new List<GroupCoefficients>();
        var fixedNames = fixedEffects.Select(f => f.Name).ToList();
        foreach (var group in design.RandomTerms.Select(t => t.GroupName).Distinct())
        {
            var terms = Enumerable.Range(0, design.RandomTerms.Count).Where(j => design.RandomTerms[j].GroupName == group).ToList();
            var levels = design.RandomTerms[terms[0]].Levels;
            var extra = terms.SelectMany(j => design.RandomTerms[j].ColumnNames).Where(c => !fixedNames.Contains(c)).Distinct().ToList();
            var columns = extra.Concat(fixedNames).ToList();
            var values = new double[levels.Count, columns.Count];
            for (int l = 0; l < levels.Count; l++)
                for (int c = 0; c < columns.Count; c++)
                {
                    int f = fixedNames.IndexOf(columns[c]);
                    values[l, c] = f >= 0 ? fixedEffects[f].Estimate : 0;
                }
            foreach (int j in terms)
            {
                var term = design.RandomTerms[j];
                int d = term.Dimension;
                for (int a = 0; a < d; a++)
                {
                    int c = columns.IndexOf(term.ColumnNames[a]);
                    for (int l = 0; l < levels.Count; l++) values[l, c] += modes[j][l * d + a];
                }
            }
            result.Add(new GroupCoefficients(group, levels, columns.AsReadOnly(), values));
        }
        return result.AsReadOnly();
    }
}

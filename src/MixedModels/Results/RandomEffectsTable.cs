namespace MixedModels.Results;

/// <summary>
/// The conditional modes (BLUPs) of one random-effects term with their conditional standard deviations, per level
/// and column (lme4's <c>ranef(condVar = TRUE)</c>).
/// </summary>
public sealed class RandomEffectsTable
{
    private readonly double[] _modes, _condSd;

    internal RandomEffectsTable(string group, IReadOnlyList<string> levels, IReadOnlyList<string> columns, double[] modes, double[] condSd)
    {
        Group = group;
        Levels = levels;
        Columns = columns;
        _modes = modes;
        _condSd = condSd;
    }

    /// <summary>The grouping factor.</summary>
    public string Group { get; }

    /// <summary>The levels, in factor order.</summary>
    public IReadOnlyList<string> Levels { get; }

    /// <summary>The term's columns.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The conditional mode of (level, column).</summary>
    public double Mode(int level, int column) => _modes[level * Columns.Count + column];

    /// <summary>The conditional standard deviation of (level, column).</summary>
    public double ConditionalSd(int level, int column) => _condSd[level * Columns.Count + column];
}

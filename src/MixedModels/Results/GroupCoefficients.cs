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
}

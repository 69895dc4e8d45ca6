namespace MixedModels.Results;

/// <summary>One level's conditional mode of one column of a term, with its conditional SD and an interval.</summary>
/// <param name="Level">The level of the grouping factor.</param>
/// <param name="Mode">The conditional mode (BLUP).</param>
/// <param name="ConditionalSd">Its conditional standard deviation.</param>
/// <param name="Lower">Mode − z·SD.</param>
/// <param name="Upper">Mode + z·SD.</param>
public sealed record LevelEffect(string Level, double Mode, double ConditionalSd, double Lower, double Upper);

/// <summary>
/// The conditional modes (BLUPs) of one random-effects term with their conditional covariances, per level and
/// column (lme4's <c>ranef(condVar = TRUE)</c>: the modes and the <c>postVar</c> blocks, on the scale of the data).
/// </summary>
public sealed class RandomEffectsTable
{
    private readonly double[] _modes, _condCov;

    internal RandomEffectsTable(string group, string name, IReadOnlyList<string> levels, IReadOnlyList<string> columns, double[] modes, double[] condCov)
    {
        Group = group;
        Name = name;
        Levels = levels;
        Columns = columns;
        _modes = modes;
        _condCov = condCov;
    }

    /// <summary>The grouping factor.</summary>
    public string Group { get; }

    /// <summary>The term's unique name among the model's terms (<c>Subject</c>, <c>Subject.1</c> for a second term on Subject).</summary>
    public string Name { get; }

    /// <summary>The levels, in factor order.</summary>
    public IReadOnlyList<string> Levels { get; }

    /// <summary>The term's columns.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The conditional mode of (level, column).</summary>
    public double Mode(int level, int column) => _modes[level * Columns.Count + column];

    /// <summary>The conditional covariance of columns a and b of a level's random effects.</summary>
    public double ConditionalCovariance(int level, int a, int b)
    {
        int d = Columns.Count;
        return _condCov[level * d * d + a * d + b];
    }

    /// <summary>The conditional standard deviation of (level, column).</summary>
    public double ConditionalSd(int level, int column) => Math.Sqrt(ConditionalCovariance(level, column, column));

    /// <summary>
    /// The levels of one column sorted by their conditional mode, each with the interval mode ± z·SD at
    /// <paramref name="level"/> (the caterpillar plot's rows; lme4's <c>dotplot(ranef(m, condVar = TRUE))</c>).
    /// </summary>
    public IReadOnlyList<LevelEffect> Sorted(int column, double level = 0.95)
    {
        if (column < 0 || column >= Columns.Count) throw new ArgumentOutOfRangeException(nameof(column));
        Inference.Level.Check(level);
        double z = Inference.Probability.NormalQuantile(0.5 + level / 2);
        return Enumerable.Range(0, Levels.Count)
            .Select(l => (l, mode: Mode(l, column), sd: ConditionalSd(l, column)))
            .OrderBy(e => e.mode).ThenBy(e => e.l)
            .Select(e => new LevelEffect(Levels[e.l], e.mode, e.sd, e.mode - z * e.sd, e.mode + z * e.sd))
            .ToList().AsReadOnly();
    }
}

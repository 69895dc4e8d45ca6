namespace MixedModels.Design;

/// <summary>
/// One random-effects term: a grouping factor with ℓ levels and d model columns (d = 1 for <c>(1 | g)</c>), giving
/// q = ℓ·d random effects. Its relative covariance factor T (d × d lower triangular) is parameterized by the
/// d(d+1)/2 elements of its lower triangle in column-major order (lme4's θ layout).
/// </summary>
public sealed class RandomEffectsTerm
{
    private readonly int[] _codes;
    private readonly double[] _z;
    private readonly string[] _levels;
    private readonly string[] _columns;

    internal RandomEffectsTerm(string groupName, string[] levels, int[] codes, string[] columnNames, double[] z, string label, int formulaIndex,
        TermCentring? centring = null)
    {
        Centring = centring;
        FormulaIndex = formulaIndex;
        GroupName = groupName;
        _levels = levels;
        _codes = codes;
        _columns = columnNames;
        _z = z;
        Label = label;
    }

    /// <summary>The grouping factor's name as lme4 prints it (<c>Subject</c>, <c>cask:batch</c>).</summary>
    public string GroupName { get; }

    /// <summary>The term as written, e.g. <c>Days | Subject</c>.</summary>
    public string Label { get; }

    /// <summary>The levels of the grouping factor.</summary>
    public IReadOnlyList<string> Levels => _levels.AsReadOnly();

    /// <summary>The number of levels ℓ.</summary>
    public int LevelCount => _levels.Length;

    /// <summary>The number of model columns d.</summary>
    public int Dimension => _columns.Length;

    /// <summary>The names of the model columns (<c>(Intercept)</c>, <c>Days</c>).</summary>
    public IReadOnlyList<string> ColumnNames => _columns.AsReadOnly();

    /// <summary>The number of random effects q = ℓ·d.</summary>
    public int RandomEffectCount => _levels.Length * _columns.Length;

    /// <summary>The number of covariance parameters d(d+1)/2.</summary>
    public int ThetaLength => Dimension * (Dimension + 1) / 2;

    /// <summary>The level (0-based) of each observation.</summary>
    public ReadOnlySpan<int> Codes => _codes;

    /// <summary>
    /// The model columns as the fit uses them, row-major: observation i's values are <c>Z[i*d .. i*d+d)</c>. A column
    /// far from zero beside the term's intercept is centred here (see <see cref="IsCentred"/>); the results give its
    /// effects, covariances and predictions in the data's own coordinates.
    /// </summary>
    public ReadOnlySpan<double> Z => _z;

    /// <summary>
    /// True when a column of the term was centred internally (|mean| / SD above 100 beside the intercept): θ, and
    /// only θ, is then that of the centred columns; variance components, random effects and predictions are not.
    /// </summary>
    public bool IsCentred => Centring is not null;

    internal TermCentring? Centring { get; }

    private double[]? _rms;

    /// <summary>The RMS over the <paramref name="observations"/> of each column as the fit uses it (1 for an all-zero column), computed once: θ's scales and the moment start's ridge.</summary>
    internal ReadOnlySpan<double> ColumnRms(int observations)
    {
        if (_rms is { } known) return known;
        int d = Dimension, n = _codes.Length;
        var rms = new double[d];
        for (int a = 0; a < d; a++)
        {
            double ss = 0;
            for (int i = 0; i < n; i++) ss += _z[i * d + a] * _z[i * d + a];
            rms[a] = ss > 0 ? Math.Sqrt(ss / observations) : 1;
        }
        return _rms = rms;
    }

    internal int[] CodesArray => _codes;

    /// <summary>The index of the term among the formula's random terms (before lme4's reordering).</summary>
    internal int FormulaIndex { get; }

    internal double[] ZArray => _z;

    /// <summary>True when θ element <paramref name="k"/> of this term is a diagonal element of T (lower bound 0).</summary>
    public bool IsDiagonal(int k)
    {
        int idx = 0;
        for (int col = 0; col < Dimension; col++)
            for (int row = col; row < Dimension; row++, idx++)
                if (idx == k) return row == col;
        throw new ArgumentOutOfRangeException(nameof(k));
    }
}

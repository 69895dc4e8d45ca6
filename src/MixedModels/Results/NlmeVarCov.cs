namespace MixedModels.Results;

/// <summary>
/// One of nlme's <c>getVarCov()</c> matrices: the random effects' covariance D, or for one group (an "individual") the
/// conditional covariance of its errors σ² G C G or their marginal covariance Z D Z' + σ² G C G. Immutable.
/// </summary>
/// <param name="Type">nlme's type: <c>random.effects</c>, <c>conditional</c> or <c>marginal</c>.</param>
/// <param name="Group">The grouping factor's name for an individual's matrix of an lme fit (printed before it); else null.</param>
/// <param name="Individual">The individual's level, or null.</param>
/// <param name="Names">The row and column names (the random effects' columns, or 1, 2, … for an lme individual's rows); null for a gls fit's matrix.</param>
/// <param name="Matrix">The matrix, row-major (n × n).</param>
public sealed record NlmeVarCov(string Type, string? Group, string? Individual, IReadOnlyList<string>? Names, double[] Matrix)
{
    /// <summary>The number of rows (and columns).</summary>
    public int Size => (int)Math.Round(Math.Sqrt(Matrix.Length));

    /// <summary>Element (i, j).</summary>
    public double this[int i, int j] => Matrix[i * Size + j];

    /// <summary>The square roots of the diagonal.</summary>
    public double[] StandardDeviations() => Enumerable.Range(0, Size).Select(i => Math.Sqrt(this[i, i])).ToArray();

    /// <summary>The matrix as nlme prints it (print.VarCov: the values to 5 significant digits, then the standard deviations).</summary>
    public override string ToString() => Reporting.NlmeVarCovText.Write(this);
}

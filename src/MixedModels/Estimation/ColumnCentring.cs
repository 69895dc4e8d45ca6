using MixedModels.Design;

namespace MixedModels.Estimation;

/// <summary>
/// The workspace's internal coordinates for the fixed effects: when X has an intercept column, every other column far
/// from zero for its spread (|mean| / SD above 10) is centred (X' = X C, C the identity with C[0, j] = −m_j), so a
/// covariate such as x = 10⁸ + N(0, 1) does not cancel in the Cholesky factor of X'X. C is unit triangular, so the REML criterion and every fitted value are
/// unchanged; β = C β', cov(β) = C cov(β') C'. Immutable.
/// </summary>
internal sealed class ColumnCentring
{
    private readonly double[] _means;

    private ColumnCentring(int intercept, double[] means, double[]? centred)
    {
        Intercept = intercept;
        _means = means;
        CentredX = centred;
    }

    /// <summary>|mean| / SD above which a column is centred (a Schur complement in X'X loses about 2 log₁₀ of it digits).</summary>
    public const double Ratio = 10;

    /// <summary>The index of the intercept column (−1: none, no centring).</summary>
    public int Intercept { get; }

    /// <summary>The centred copy of X (column-major), or null when X is used as it is.</summary>
    public double[]? CentredX { get; }

    /// <summary>True when the coordinates differ from X's.</summary>
    public bool Active => CentredX is not null;

    /// <summary>No centring: X is used as it is.</summary>
    public static ColumnCentring None(int columns) => new(-1, new double[columns], null);

    /// <summary>The centring of a design's X: the (weighted) column means when there is an intercept column.</summary>
    public static ColumnCentring For(ModelDesign design)
    {
        var x = design.X.Data;
        int n = design.RowCount, p = design.X.Columns;
        var w = design.WeightsArray;
        var ones = design.Aggregated?.Ones;
        int intercept = DesignConditioning.InterceptColumn(x, n, p, ones);
        var means = new double[p];
        if (intercept < 0 || p < 2) return new ColumnCentring(-1, means, null);
        bool any = false;
        for (int c = 0; c < p; c++)
        {
            if (c == intercept) continue;
            var (mean, sd) = DesignConditioning.MeanSd(x.AsSpan(c * n, n), w, ones);
            // Only a column far from zero for its spread loses digits in X'X; the others are used as they are.
            if (!(Math.Abs(mean) > Ratio * sd)) continue;
            means[c] = mean;
            any = true;
        }
        if (!any) return new ColumnCentring(-1, new double[p], null);
        var centred = (double[])x.Clone();
        for (int c = 0; c < p; c++)
        {
            if (means[c] == 0) continue;
            var col = centred.AsSpan(c * n, n);
            var one = x.AsSpan(intercept * n, n);
            for (int r = 0; r < n; r++) col[r] -= means[c] * one[r];
        }
        return new ColumnCentring(intercept, means, centred);
    }

    /// <summary>β' → β in place: β₀ = β'₀ − Σ m_j β'_j.</summary>
    public void ToOriginal(Span<double> beta)
    {
        if (Active) LinearAlgebra.SmallMatrix.CentringCombine(beta, Intercept, _means, -1);
    }

    /// <summary>β → β' in place: β'₀ = β₀ + Σ m_j β_j.</summary>
    public void FromOriginal(Span<double> beta)
    {
        if (Active) LinearAlgebra.SmallMatrix.CentringCombine(beta, Intercept, _means, +1);
    }

    /// <summary>
    /// A linear combination a'β in X's coordinates as one in the internal coordinates (a'β = (C'a)'β'), in place:
    /// a_j −= m_j a₀.
    /// </summary>
    public void CombinationToInternal(Span<double> a)
    {
        if (Active) LinearAlgebra.SmallMatrix.CentringSpread(a, Intercept, _means, -1);
    }

    /// <summary>cov(β) = C cov(β') C' in place (p × p).</summary>
    public void CovarianceToOriginal(double[,] v)
    {
        if (Active) LinearAlgebra.SmallMatrix.CentringCongruence(v, Intercept, _means, -1);
    }

    /// <summary>
    /// Cross-products in the internal coordinates back to X's: Z'X = Z'X' C⁻¹ and X'X = C⁻ᵀ X'X' C⁻¹, where C⁻¹ adds
    /// m_j times the intercept column to column j.
    /// </summary>
    public void CrossProductsToOriginal(double[,] ztx, double[,] xtx)
    {
        if (!Active) return;
        int p = _means.Length, i0 = Intercept;
        for (int r = 0; r < ztx.GetLength(0); r++)
            for (int j = 0; j < p; j++) if (j != i0) ztx[r, j] += _means[j] * ztx[r, i0];
        for (int r = 0; r < p; r++)
            for (int j = 0; j < p; j++) if (j != i0) xtx[r, j] += _means[j] * xtx[r, i0];
        for (int c = 0; c < p; c++)
            for (int j = 0; j < p; j++) if (j != i0) xtx[j, c] += _means[j] * xtx[i0, c];
    }
}

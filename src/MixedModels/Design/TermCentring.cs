namespace MixedModels.Design;

/// <summary>
/// The internal centring of a random-effects term's columns that lie far from zero beside the term's intercept
/// (|mean| / SD above 100, e.g. a random slope in calendar years or x = 10⁸ + N(0, 1)): the fit uses z' = z M⁻¹ with
/// z'_c = z_c − m_c, whose effects b' are not nearly collinear with the intercept's; b = M b' (b₀ = b'₀ − Σ m_c b'_c)
/// gives them back, and cov(b) = M cov(b') M'. The model is the same (the covariance is unstructured), so the fit is
/// exactly as if the column had been centred by hand and then transformed back. Immutable.
/// </summary>
internal sealed class TermCentring
{
    private readonly double[] _means;

    private TermCentring(int intercept, double[] means)
    {
        Intercept = intercept;
        _means = means;
    }

    /// <summary>The index of the term's intercept column.</summary>
    public int Intercept { get; }

    /// <summary>The mean subtracted from each column (0 for the intercept and columns left as they are).</summary>
    public ReadOnlySpan<double> Means => _means;

    /// <summary>|mean| / SD above which a column beside an intercept is centred.</summary>
    public const double Ratio = 100;

    /// <summary>The centring a term's rows (row-major, d per observation) need, or null; centres them in place.</summary>
    public static TermCentring? CentreInPlace(double[] z, int d, double[]? ones = null)
    {
        if (d < 2) return null;
        int n = z.Length / d;
        int intercept = -1;
        for (int c = 0; c < d && intercept < 0; c++)
        {
            bool isOne = true;
            for (int r = 0; r < n && isOne; r++) isOne = z[r * d + c] == (ones is null ? 1 : ones[r]);
            if (isOne) intercept = c;
        }
        if (intercept < 0) return null;
        var means = new double[d];
        bool any = false;
        var column = new double[n];
        for (int c = 0; c < d; c++)
        {
            if (c == intercept) continue;
            for (int r = 0; r < n; r++) column[r] = z[r * d + c];
            var (m, sd) = ones is null ? SampleMeanSd(column) : DesignConditioning.MeanSd(column, null, ones);
            if (!(sd > 0) || Math.Abs(m) <= Ratio * sd) continue;
            means[c] = m;
            any = true;
        }
        if (!any) return null;
        for (int r = 0; r < n; r++)
        {
            double one = z[r * d + intercept];
            for (int c = 0; c < d; c++) z[r * d + c] -= means[c] * one;
        }
        return new TermCentring(intercept, means);
    }

    private static (double Mean, double Sd) SampleMeanSd(double[] x)
    {
        int n = x.Length;
        double m = 0;
        foreach (double v in x) m += v;
        m /= n;
        double ss = 0;
        foreach (double v in x) ss += (v - m) * (v - m);
        return (m, Math.Sqrt(ss / Math.Max(1, n - 1)));
    }

    /// <summary>A new observation's row in the fit's coordinates: z'_c = z_c − m_c z₀.</summary>
    public void CentreRow(Span<double> z) => LinearAlgebra.SmallMatrix.CentringSpread(z, Intercept, _means, -1);

    /// <summary>A row of the fit back in the data's coordinates: z_c = z'_c + m_c z'₀.</summary>
    public void UncentreRow(Span<double> z) => LinearAlgebra.SmallMatrix.CentringSpread(z, Intercept, _means, +1);

    /// <summary>Effects b' of every level (levels × d, row-major) as b = M b' (b₀ = b'₀ − Σ m_c b'_c).</summary>
    public double[] ModesToOriginal(ReadOnlySpan<double> primed)
    {
        int d = _means.Length;
        var b = primed.ToArray();
        for (int l = 0; l < b.Length / d; l++) LinearAlgebra.SmallMatrix.CentringCombine(b.AsSpan(l * d, d), Intercept, _means, -1);
        return b;
    }

    /// <summary>M V M' in place for each d × d block (row-major) of <paramref name="blocks"/>.</summary>
    public void CovariancesToOriginal(Span<double> blocks)
    {
        int d = _means.Length;
        var v = new double[d, d];
        for (int l = 0; l < blocks.Length / (d * d); l++)
        {
            var block = blocks.Slice(l * d * d, d * d);
            for (int r = 0; r < d; r++) for (int c = 0; c < d; c++) v[r, c] = block[r * d + c];
            CovarianceToOriginal(v);
            for (int r = 0; r < d; r++) for (int c = 0; c < d; c++) block[r * d + c] = v[r, c];
        }
    }

    /// <summary>M V M' in place (d × d).</summary>
    public void CovarianceToOriginal(double[,] v) => LinearAlgebra.SmallMatrix.CentringCongruence(v, Intercept, _means, -1);

    /// <summary>M⁻¹ V M⁻ᵀ in place (d × d): a covariance in the data's coordinates back in the fit's.</summary>
    public void CovarianceToCentred(double[,] v) => LinearAlgebra.SmallMatrix.CentringCongruence(v, Intercept, _means, +1);
}

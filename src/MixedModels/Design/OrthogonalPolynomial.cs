namespace MixedModels.Design;

/// <summary>
/// R's <c>poly(x, degree)</c>: polynomials in x orthonormal over the training values, from the three-term recurrence
/// (the coefficients <c>alpha</c> and <c>norm2</c> are kept so that new data get the same basis).
/// </summary>
internal sealed class OrthogonalPolynomial
{
    private OrthogonalPolynomial(double[] alpha, double[] norm2) { Alpha = alpha; Norm2 = norm2; }

    /// <summary>alpha[0..degree-1].</summary>
    public double[] Alpha { get; }

    /// <summary>norm2[0..degree+1], R's layout: 1, n, |Z1|², ..., |Zdegree|².</summary>
    public double[] Norm2 { get; }

    public int Degree => Alpha.Length;

    /// <summary>A basis from constants computed elsewhere (by a database engine over the data).</summary>
    public static OrthogonalPolynomial FromConstants(double[] alpha, double[] norm2) =>
        norm2.Length == alpha.Length + 2 ? new(alpha, norm2) : throw new ArgumentException("norm2 has two more elements than alpha");

    /// <summary>Fits the basis to the non-missing values of <paramref name="x"/>.</summary>
    public static OrthogonalPolynomial Fit(ReadOnlySpan<double> x, int degree)
    {
        var values = new List<double>();
        foreach (double v in x) if (!double.IsNaN(v)) values.Add(v);
        int distinct = values.Distinct().Count();
        if (degree >= distinct)
            throw new ModelException($"poly(): the degree ({degree}) must be less than the number of distinct values ({distinct})");
        int n = values.Count;
        var alpha = new double[degree];
        var norm2 = new double[degree + 2];
        norm2[0] = 1;
        norm2[1] = n;
        var zPrev = new double[n];
        var z = new double[n];
        Array.Fill(z, 1.0);
        Array.Fill(zPrev, 0.0);
        for (int j = 0; j < degree; j++)
        {
            double sxz = 0, szz = 0;
            for (int i = 0; i < n; i++) { sxz += values[i] * z[i] * z[i]; szz += z[i] * z[i]; }
            alpha[j] = sxz / szz;
            var next = new double[n];
            double ratio = j == 0 ? 0 : norm2[j + 1] / norm2[j];
            for (int i = 0; i < n; i++) next[i] = (values[i] - alpha[j]) * z[i] - ratio * zPrev[i];
            double s = 0;
            for (int i = 0; i < n; i++) s += next[i] * next[i];
            norm2[j + 2] = s;
            zPrev = z;
            z = next;
        }
        return new OrthogonalPolynomial(alpha, norm2);
    }

    /// <summary>The degree columns at the values x (column-major, length x.Length × degree); NaN stays NaN.</summary>
    public double[] Evaluate(ReadOnlySpan<double> x)
    {
        int n = x.Length, k = Degree;
        var result = new double[n * k];
        for (int i = 0; i < n; i++)
        {
            double xi = x[i];
            double zPrev = 1, z = xi - Alpha[0];
            result[i] = z / Math.Sqrt(Norm2[2]);
            for (int j = 1; j < k; j++)
            {
                double next = (xi - Alpha[j]) * z - Norm2[j + 1] / Norm2[j] * zPrev;
                zPrev = z;
                z = next;
                result[j * n + i] = z / Math.Sqrt(Norm2[j + 2]);
            }
        }
        return result;
    }
}

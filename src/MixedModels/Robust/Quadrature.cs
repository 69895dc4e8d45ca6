namespace MixedModels.Robust;

/// <summary>
/// Numerical integration for the consistency constants of the robust estimating equations: adaptive 15-point
/// Gauss–Kronrod on finite pieces between break points (where a ψ-function's smoothness changes), the tails cut where
/// the normal or χ² density is below double precision.
/// </summary>
internal static class Quadrature
{
    private static readonly double[] KronrodNodes =
    [
        0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
        0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
        0.207784955007898467600689403773245, 0,
    ];

    private static readonly double[] KronrodWeights =
    [
        0.022935322010529224963732008058970, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
        0.140653259715525918745189590510238, 0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
        0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
    ];

    private static readonly double[] GaussWeights =
    [
        0.129484966168869693270611432679082, 0.279705391489276667901467771423780, 0.381830050505118944950369775488975,
        0.417959183673469387755102040816327,
    ];

    /// <summary>∫ f over [a, b], split at the break points inside it, to an error near 1e-13 of ∫ |f|.</summary>
    public static double Integrate(Func<double, double> f, double a, double b, IEnumerable<double> breaks)
    {
        if (a == b) return 0;
        double sign = 1;
        if (a > b) { (a, b) = (b, a); sign = -1; }
        var points = new List<double> { a };
        points.AddRange(breaks.Where(x => x > a && x < b).OrderBy(x => x));
        points.Add(b);
        double scale = 0;
        for (int i = 0; i + 1 < points.Count; i++) scale += Kronrod(x => Math.Abs(f(x)), points[i], points[i + 1]).Value;
        double tolerance = 1e-13 * scale + 1e-300;
        double total = 0;
        for (int i = 0; i + 1 < points.Count; i++) total += Adaptive(f, points[i], points[i + 1], tolerance, 0);
        return sign * total;
    }

    /// <summary>E[f(Z)] for Z standard normal.</summary>
    public static double NormalExpectation(Func<double, double> f, IEnumerable<double> breaks)
    {
        const double cut = 39;
        double c = 1 / Math.Sqrt(2 * Math.PI);
        return Integrate(x => f(x) * c * Math.Exp(-x * x / 2), -cut, cut, breaks.Append(0));
    }

    /// <summary>E[f(V)] for V χ² with <paramref name="df"/> degrees of freedom.</summary>
    public static double ChiSquareExpectation(Func<double, double> f, int df, IEnumerable<double> breaks)
    {
        double upper = df + 60 * Math.Sqrt(2.0 * df) + 200;
        double logNorm = -(df / 2.0) * Math.Log(2) - MathNet.Numerics.SpecialFunctions.GammaLn(df / 2.0);
        double Density(double v) => v <= 0 ? (df == 2 ? 0.5 : 0) : Math.Exp(logNorm + (df / 2.0 - 1) * Math.Log(v) - v / 2);
        var pieces = breaks.Concat([df, 2.0 * df, 4.0 * df + 10]);
        return Integrate(v => f(v) * Density(v), 0, upper, pieces);
    }

    private static double Adaptive(Func<double, double> f, double a, double b, double tolerance, int depth)
    {
        var (value, error) = Kronrod(f, a, b);
        if (depth >= 30 || error <= tolerance) return value;
        double m = 0.5 * (a + b);
        return Adaptive(f, a, m, tolerance / 2, depth + 1) + Adaptive(f, m, b, tolerance / 2, depth + 1);
    }

    private static (double Value, double Error) Kronrod(Func<double, double> f, double a, double b)
    {
        double half = 0.5 * (b - a), centre = 0.5 * (a + b);
        double fc = f(centre);
        double kronrod = fc * KronrodWeights[7], gauss = fc * GaussWeights[3];
        for (int j = 0; j < 7; j++)
        {
            double dx = half * KronrodNodes[j];
            double sum = f(centre - dx) + f(centre + dx);
            kronrod += KronrodWeights[j] * sum;
            if (j % 2 == 1) gauss += GaussWeights[j / 2] * sum;
        }
        return (kronrod * half, Math.Abs((kronrod - gauss) * half));
    }
}

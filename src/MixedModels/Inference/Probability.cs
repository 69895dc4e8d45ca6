using MathNet.Numerics;

namespace MixedModels.Inference;

/// <summary>Tail probabilities computed from the regularized incomplete beta and gamma functions, accurate far in the tails.</summary>
internal static class Probability
{
    /// <summary>P(|T| ≥ |t|) for Student's t with df degrees of freedom.</summary>
    public static double TwoSidedT(double t, double df)
    {
        if (double.IsNaN(t) || double.IsNaN(df) || df <= 0) return double.NaN;
        if (double.IsInfinity(df)) return 2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, -Math.Abs(t));
        return SpecialFunctions.BetaRegularized(df / 2, 0.5, df / (df + t * t));
    }

    /// <summary>P(|Z| ≥ |z|) for a standard normal Z (erfc, accurate in the tails).</summary>
    public static double TwoSidedNormal(double z) =>
        double.IsNaN(z) ? double.NaN : SpecialFunctions.Erfc(Math.Abs(z) / Math.Sqrt(2));

    /// <summary>P(F ≥ f) for the F distribution with (ndf, ddf) degrees of freedom.</summary>
    public static double FUpper(double f, double ndf, double ddf)
    {
        if (double.IsNaN(f) || double.IsNaN(ddf) || ddf <= 0) return double.NaN;
        if (f <= 0) return 1;
        return SpecialFunctions.BetaRegularized(ddf / 2, ndf / 2, ddf / (ddf + ndf * f));
    }

    /// <summary>P(X ≥ x) for the χ² distribution with df degrees of freedom.</summary>
    public static double ChiSquareUpper(double x, double df)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x <= 0) return 1;
        return SpecialFunctions.GammaUpperRegularized(df / 2, x / 2);
    }

    /// <summary>The quantile of Student's t.</summary>
    public static double TQuantile(double p, double df) => MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, df, p);

    /// <summary>The standard normal distribution function.</summary>
    public static double NormalCdf(double x) => MathNet.Numerics.Distributions.Normal.CDF(0, 1, x);

    /// <summary>The standard normal quantile.</summary>
    public static double NormalQuantile(double p) => MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, p);

    /// <summary>The χ² quantile.</summary>
    public static double ChiSquareQuantile(double p, double df) => MathNet.Numerics.Distributions.ChiSquared.InvCDF(df, p);
}

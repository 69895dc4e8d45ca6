namespace MixedModels.Inference;

/// <summary>Brent's method for a root of a continuous function in a bracketing interval.</summary>
internal static class RootFinding
{
    public static double Brent(Func<double, double> f, double a, double b, double fa, double fb, double tolerance, int maxIterations = 100)
    {
        if (fa * fb > 0) throw new ArgumentException("the interval does not bracket a root");
        double c = a, fc = fa, d = b - a, e = d;
        for (int iter = 0; iter < maxIterations; iter++)
        {
            if (fb * fc > 0) { c = a; fc = fa; d = b - a; e = d; }
            if (Math.Abs(fc) < Math.Abs(fb)) { a = b; b = c; c = a; fa = fb; fb = fc; fc = fa; }
            double tol = 2 * 2.2e-16 * Math.Abs(b) + 0.5 * tolerance;
            double m = 0.5 * (c - b);
            if (Math.Abs(m) <= tol || fb == 0) return b;
            if (Math.Abs(e) >= tol && Math.Abs(fa) > Math.Abs(fb))
            {
                double s = fb / fa, p, q;
                if (a == c) { p = 2 * m * s; q = 1 - s; }
                else
                {
                    double qq = fa / fc, r = fb / fc;
                    p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
                    q = (qq - 1) * (r - 1) * (s - 1);
                }
                if (p > 0) q = -q; else p = -p;
                if (2 * p < Math.Min(3 * m * q - Math.Abs(tol * q), Math.Abs(e * q))) { e = d; d = p / q; }
                else { d = m; e = m; }
            }
            else { d = m; e = m; }
            a = b; fa = fb;
            b += Math.Abs(d) > tol ? d : (m > 0 ? tol : -tol);
            fb = f(b);
        }
        return b;
    }
}

namespace MixedModels.Estimation;

/// <summary>Writes the gradient of an objective at the point of its last evaluation.</summary>
internal delegate void GradientAtLast(Span<double> gradient);

/// <summary>
/// A projected quasi-Newton method (BFGS on the inverse Hessian, bounds kept by projection, Bertsekas's ε-active set)
/// for an objective with an analytic gradient: each iteration one evaluation and one gradient where BOBYQA, which
/// builds its quadratic model from values alone, needs about as many evaluations as the model has parameters to
/// learn their curvature. Works in the optimizer's units of the <see cref="ParameterMap"/> (x / scale).
/// </summary>
internal static class QuasiNewton
{
    /// <summary>Armijo's sufficient-decrease constant.</summary>
    private const double Armijo = 1e-4;

    /// <summary>A relative decrease of f this small is rounding (about 100 units in the last place).</summary>
    private const double Rounding = 1e-14;

    /// <summary>A step shorter than this (optimizer units, largest component) changes nothing worth an evaluation.</summary>
    private const double SmallestStep = 1e-12;

    /// <summary>The longest first step (optimizer units), before the method has learnt any curvature.</summary>
    private const double FirstStep = 0.25;

    /// <summary>
    /// Minimizes f from <paramref name="start"/> (θ's units). Converged when the decrease the model predicts from one
    /// more step is below <paramref name="tolerance"/> × max(1, |f|) and the projected gradient is small.
    /// </summary>
    public static OptimizationResult Minimize(ObjectiveFunction f, GradientAtLast gradient, ReadOnlySpan<double> start,
        ParameterMap map, double tolerance, int maxEvaluations)
    {
        int n = start.Length;
        var lower = map.ToOptimizerUnits(map.Lower);
        var x = map.ToOptimizerUnits(start);
        for (int i = 0; i < n; i++) x[i] = Math.Max(lower[i], x[i]);
        var fu = map.InOptimizerUnits(f);
        var gradientU = map.InOptimizerUnits(gradient);
        int evaluations = 0;
        double Evaluate(double[] u)
        {
            evaluations++;
            return fu(u);
        }
        void Gradient(double[] g) => gradientU(g);
        double fx = Evaluate(x);
        if (!double.IsFinite(fx)) return new OptimizationResult(map.FromOptimizerUnits(x), fx, evaluations, OptimizationStatus.InvalidObjective);
        var g = new double[n];
        Gradient(g);
        var h = new double[n * n];
        ResetToIdentity(h, n);
        bool learnt = false;
        var d = new double[n];
        var xt = new double[n];
        var gt = new double[n];
        var s = new double[n];
        var y = new double[n];
        var hy = new double[n];
        var free = new bool[n];
        var status = OptimizationStatus.MaxEvaluations;
        int stalled = 0;
        while (evaluations < maxEvaluations)
        {
            if (!g.All(double.IsFinite)) { status = OptimizationStatus.StepFailed; break; }
            double pg = 0;
            for (int i = 0; i < n; i++) pg = Math.Max(pg, Math.Abs(x[i] - Math.Max(lower[i], x[i] - g[i])));
            double eps = Math.Min(1e-3, pg);
            for (int i = 0; i < n; i++) free[i] = !(x[i] - lower[i] <= eps && g[i] > 0);
            double gd = Direction(h, g, free, d, n);
            if (!(gd < 0))
            {
                ResetToIdentity(h, n);
                learnt = false;
                gd = Direction(h, g, free, d, n);
            }
            if (-gd <= tolerance * Math.Max(1, Math.Abs(fx)) && pg <= Math.Sqrt(tolerance)) { status = OptimizationStatus.Converged; break; }
            double alpha = 1;
            if (!learnt)
            {
                double dmax = 0;
                foreach (double v in d) dmax = Math.Max(dmax, Math.Abs(v));
                alpha = Math.Min(1, FirstStep / dmax);
            }
            double ft = double.NaN, decrease = 0;
            bool accepted = false;
            double dnorm = 0;
            foreach (double v in d) dnorm = Math.Max(dnorm, Math.Abs(v));
            for (int trial = 0; trial < 40 && evaluations < maxEvaluations && alpha * dnorm > SmallestStep; trial++)
            {
                decrease = 0;
                for (int i = 0; i < n; i++)
                {
                    xt[i] = Math.Max(lower[i], x[i] + alpha * d[i]);
                    decrease += g[i] * (xt[i] - x[i]);
                }
                if (!(decrease < 0)) break; // the projected step no longer descends: nothing left at this precision
                ft = Evaluate(xt);
                if (ft <= fx + Armijo * decrease) { accepted = true; break; }
                // backtrack by safeguarded quadratic interpolation along the step
                double q = double.IsFinite(ft) ? -decrease * alpha / (2 * (ft - fx - decrease)) * 1 : 0.1 * alpha;
                alpha = Math.Clamp(double.IsFinite(q) ? q : 0.1 * alpha, 0.1 * alpha, 0.5 * alpha);
            }
            if (!accepted)
            {
                if (learnt) { ResetToIdentity(h, n); learnt = false; continue; }
                status = OptimizationStatus.Converged; // no descent left along the steepest projected direction
                break;
            }
            Gradient(gt);
            double sy = 0, yy = 0, ss = 0;
            for (int i = 0; i < n; i++)
            {
                s[i] = xt[i] - x[i];
                y[i] = gt[i] - g[i];
                sy += s[i] * y[i];
                yy += y[i] * y[i];
                ss += s[i] * s[i];
            }
            if (sy > 1e-10 * Math.Sqrt(ss * yy))
            {
                if (!learnt)
                {
                    ResetToIdentity(h, n, sy / yy);
                    learnt = true;
                }
                Update(h, s, y, hy, sy, n);
            }
            // Steps that no longer lower f beyond its rounding: the optimum is reached to working precision.
            stalled = fx - ft <= Rounding * Math.Max(1, Math.Abs(fx)) ? stalled + 1 : 0;
            Array.Copy(xt, x, n);
            Array.Copy(gt, g, n);
            fx = ft;
            if (stalled >= 3) { status = OptimizationStatus.Converged; break; }
        }
        return new OptimizationResult(map.FromOptimizerUnits(x), fx, evaluations, status);
    }

    private static void ResetToIdentity(double[] h, int n, double diagonal = 1)
    {
        Array.Clear(h);
        for (int i = 0; i < n; i++) h[i * n + i] = diagonal;
    }

    /// <summary>d = −H_FF g_F on the free set, −H_ii g_i on the ε-active bounds (projection takes them to the bound); returns g'd.</summary>
    private static double Direction(double[] h, double[] g, bool[] free, double[] d, int n)
    {
        double gd = 0;
        for (int i = 0; i < n; i++)
        {
            double v = 0;
            if (free[i])
            {
                for (int j = 0; j < n; j++) if (free[j]) v -= h[i * n + j] * g[j];
            }
            else v = -h[i * n + i] * g[i];
            d[i] = v;
            gd += v * g[i];
        }
        return gd;
    }

    /// <summary>The BFGS update of the inverse Hessian: H ← (I − ρsy')H(I − ρys') + ρss', ρ = 1/s'y.</summary>
    private static void Update(double[] h, double[] s, double[] y, double[] hy, double sy, int n)
    {
        double yhy = 0;
        for (int i = 0; i < n; i++)
        {
            double v = 0;
            for (int j = 0; j < n; j++) v += h[i * n + j] * y[j];
            hy[i] = v;
            yhy += v * y[i];
        }
        double rho = 1 / sy, c = (1 + rho * yhy) * rho;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                h[i * n + j] += c * s[i] * s[j] - rho * (hy[i] * s[j] + s[i] * hy[j]);
    }
}

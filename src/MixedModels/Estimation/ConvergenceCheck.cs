using System.Globalization;
using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

/// <summary>
/// lme4's checks of a fit (<c>checkConv</c>): a singular fit (a diagonal element of some T below 1e-4) is reported
/// and ends the checks; otherwise the gradient and Hessian of the objective in θ are taken by central differences
/// (step 1e-4, one-sided at a bound) and the scaled gradient and the Hessian's eigenvalues are checked.
/// </summary>
internal static class ConvergenceCheck
{
    public const double SingularTolerance = 1e-4;
    private const double GradientTolerance = 0.002;
    private const double HessianTolerance = 1e-6;

    /// <summary>lme4's <c>isSingular</c>: some θ with lower bound 0 is below 1e-4.</summary>
    public static bool IsSingular(ReadOnlySpan<double> theta, ReadOnlySpan<double> lower)
    {
        for (int i = 0; i < theta.Length; i++) if (lower[i] == 0 && theta[i] < SingularTolerance) return true;
        return false;
    }

    /// <summary>The messages lme4 would give for this optimum.</summary>
    /// <param name="f">The objective.</param>
    /// <param name="theta">The optimum.</param>
    /// <param name="lower">The lower bounds.</param>
    /// <param name="fx">The objective at the optimum.</param>
    /// <param name="singular">Whether the fit is singular (reported, no further checks).</param>
    /// <param name="derivatives">Whether to check the gradient and Hessian.</param>
    /// <param name="gradient">The analytic gradient at f's last evaluation, when there is one: the derivatives are
    /// then <see cref="GradientDerivatives"/>'s (2k + 1 evaluations instead of k(k + 1)).</param>
    public static List<string> Check(ObjectiveFunction f, double[] theta, double[] lower, double fx, bool singular, bool derivatives,
        GradientAtLast? gradient = null)
    {
        if (singular) return ["boundary (singular) fit: see help('isSingular')"];
        if (!derivatives) return [];
        var (g, h) = gradient is null ? Derivatives(f, theta, lower, fx) : GradientDerivatives(f, gradient, theta);
        return Assess(g, h, singular: false);
    }

    /// <summary>
    /// The gradient at x analytically and the Hessian by central differences of the analytic gradient with lme4's step
    /// δ = 1e-4 (column j from x ± δe_j, then symmetrized): 2k + 1 evaluations and gradients where
    /// <see cref="Derivatives"/> needs k(k + 1) evaluations (a 12-parameter fit: 25 instead of 156). Only for
    /// non-singular optima, where x − δ stays within the bounds.
    /// </summary>
    public static (double[] Gradient, double[,] Hessian) GradientDerivatives(ObjectiveFunction f, GradientAtLast gradient, double[] x, double delta = 1e-4)
    {
        int n = x.Length;
        var g = new double[n];
        var h = new double[n, n];
        var p = (double[])x.Clone();
        var plus = new double[n];
        var minus = new double[n];
        f(x);
        gradient(g);
        for (int j = 0; j < n; j++)
        {
            p[j] = x[j] + delta;
            f(p);
            gradient(plus);
            p[j] = x[j] - delta;
            f(p);
            gradient(minus);
            p[j] = x[j];
            for (int i = 0; i < n; i++) h[i, j] = (plus[i] - minus[i]) / (2 * delta);
        }
        for (int j = 0; j < n; j++)
            for (int i = 0; i < j; i++)
            {
                double v = 0.5 * (h[i, j] + h[j, i]);
                h[i, j] = v;
                h[j, i] = v;
            }
        return (g, h);
    }

    /// <summary>lme4's messages from a gradient and Hessian already taken (a singular fit is reported and ends the checks).</summary>
    public static List<string> Assess(double[] g, double[,] h, bool singular)
    {
        var messages = new List<string>();
        if (singular) { messages.Add("boundary (singular) fit: see help('isSingular')"); return messages; }
        if (g.Any(double.IsNaN)) { messages.Add("Gradient contains NAs"); return messages; }

        var r = SmallMatrix.CholeskyUpper(h);
        if (r is null) messages.Add("unable to evaluate scaled gradient");
        else
        {
            int k = g.Length;
            var sc = new double[k];
            for (int i = k - 1; i >= 0; i--)
            {
                double s = g[i];
                for (int j = i + 1; j < k; j++) s -= r[i, j] * sc[j];
                sc[i] = s / r[i, i];
            }
            double max = 0;
            int which = 0;
            for (int i = 0; i < k; i++)
            {
                double m = Math.Min(Math.Abs(sc[i]), Math.Abs(g[i]));
                if (m > max) { max = m; which = i; }
            }
            if (max > GradientTolerance)
                messages.Add($"Model failed to converge with max|grad| = {FormatG(max)} (tol = 0.002, component {which + 1})");
        }

        double[] ev;
        try { ev = SymmetricEigen.Eigenvalues(h); }
        catch (ArithmeticException) { messages.Add("Problem with Hessian check (infinite or missing values?)"); return messages; }
        if (ev.Any(v => !double.IsFinite(v))) { messages.Add("Problem with Hessian check (infinite or missing values?)"); return messages; }
        int negative = ev.Count(v => v < -HessianTolerance);
        if (negative > 0)
            messages.Add($"Model failed to converge: degenerate  Hessian with {negative} negative eigenvalues");
        else if (ev.Any(v => Math.Abs(v) < HessianTolerance) || r is null)
            messages.Add(" Hessian is numerically singular: parameters are not uniquely determined");
        else
        {
            double max = ev.Max(), min = ev.Min();
            if (max * HessianTolerance > 1) messages.Add("Model is nearly unidentifiable: very large eigenvalue\n - Rescale variables?");
            if (min / max < HessianTolerance) messages.Add("Model is nearly unidentifiable: large eigenvalue ratio\n - Rescale variables?");
        }
        return messages;
    }

    /// <summary>
    /// The gradient and Hessian of lme4's <c>deriv12</c> (central differences with step δ; where x − δ would cross a
    /// lower bound the backward step is shortened to the bound — unreachable from <see cref="Check"/>, which stops
    /// at singular fits, so every step there is δ as in lme4), with fewer evaluations: a mixed partial whose two steps are symmetric uses
    /// one corner point together with the values already taken for the diagonal,
    /// h_ij = [f(x+δe_i+δe_j) − f(x+δe_i) − f(x+δe_j) + f(x)] / δ², 1 evaluation per pair instead of deriv12's 4
    /// (insteval's check: 9 evaluations instead of 18; the two-corner form, 12, was tried first). It is first-order
    /// accurate, off by δ/2 (f_iij + f_ijj): 1e-4 relative for θ of order 1, the same order as the change of H
    /// between our point and lme4's (BOBYQA stops 1e-4 from the optimum): the 48 lmer reference fits and 5 benchmark
    /// models give the same messages as with the two-corner form and θ within 1e-7 of it. The gradient and the
    /// diagonal remain central, second-order differences. Pairs with a one-sided step keep the four-point formula.
    /// </summary>
    public static (double[] Gradient, double[,] Hessian) Derivatives(ObjectiveFunction f, double[] x, double[] lower, double fx, double delta = 1e-4)
    {
        int n = x.Length;
        var g = new double[n];
        var h = new double[n, n];
        var up = new double[n];
        var lo = new double[n];
        var fPlus = new double[n];
        var fMinus = new double[n];
        for (int i = 0; i < n; i++)
        {
            up[i] = delta;
            lo[i] = x[i] - delta < lower[i] ? x[i] - lower[i] : delta;
        }
        var p = new double[n];
        double Eval(int i, double di, int j = -1, double dj = 0)
        {
            x.CopyTo(p, 0);
            p[i] += di;
            if (j >= 0) p[j] += dj;
            return f(p);
        }
        for (int j = 0; j < n; j++)
        {
            double fadd = fPlus[j] = Eval(j, up[j]);
            double fsub = fMinus[j] = Eval(j, -lo[j]);
            // The second difference on the steps +up and −lo (deriv12's δ² form when they are equal).
            h[j, j] = 2 * (fadd / (up[j] * (up[j] + lo[j])) - fx / (up[j] * lo[j]) + fsub / (lo[j] * (up[j] + lo[j])));
            g[j] = (fadd - fsub) / (up[j] + lo[j]);
        }
        for (int j = 0; j < n; j++)
            for (int i = 0; i < j; i++)
            {
                double v;
                if (lo[i] == up[i] && lo[j] == up[j] && up[i] == up[j])
                {
                    double d = up[i];
                    v = (Eval(i, d, j, d) - fPlus[i] - fPlus[j] + fx) / (d * d);
                }
                else
                    v = (Eval(i, up[i], j, up[j]) - Eval(i, up[i], j, -lo[j]) - Eval(i, -lo[i], j, up[j]) + Eval(i, -lo[i], j, -lo[j]))
                        / ((up[i] + lo[i]) * (up[j] + lo[j]));
                h[i, j] = v;
                h[j, i] = v;
            }
        return (g, h);
    }

    /// <summary>
    /// lme4's <c>deriv12</c>: central differences with step δ (the one-sided step at a lower bound divided by δ² all
    /// the same, as lme4 does); glmer's standard errors come from this Hessian, so the diagonal and the gradient are
    /// lme4's. A mixed partial of two parameters whose backward steps were not shortened uses the diagonal's values,
    /// h_ij = [f(x+δe_i+δe_j) + f(x−δe_i−δe_j) − f(x±δe_i) − f(x±δe_j) + 2f(x)] / 2δ², second-order accurate like
    /// deriv12's four-point formula with 2 evaluations instead of 4 (a glmer check of 8 parameters: 72 evaluations
    /// instead of 128); other pairs keep the four-point formula, which ignores the bounds.
    /// </summary>
    public static (double[] Gradient, double[,] Hessian) Deriv12(ObjectiveFunction f, double[] x, double[] lower, double fx, double delta = 1e-4)
    {
        int n = x.Length;
        var g = new double[n];
        var h = new double[n, n];
        var p = new double[n];
        var fPlus = new double[n];
        var fMinus = new double[n];
        double At(int i, double di, int j = -1, double dj = 0, bool bounded = false)
        {
            x.CopyTo(p, 0);
            p[i] = bounded ? Math.Max(x[i] + di, lower[i]) : x[i] + di;
            if (j >= 0) p[j] = x[j] + dj;
            return f(p);
        }
        for (int j = 0; j < n; j++)
        {
            double fadd = fPlus[j] = At(j, delta), fsub = fMinus[j] = At(j, -delta, bounded: true);
            h[j, j] = (fadd - 2 * fx + fsub) / (delta * delta);
            g[j] = (fadd - fsub) / (2 * delta);
        }
        for (int j = 0; j < n; j++)
            for (int i = 0; i < j; i++)
            {
                double v = x[i] - delta >= lower[i] && x[j] - delta >= lower[j]
                    ? (At(i, delta, j, delta) + At(i, -delta, j, -delta) - fPlus[i] - fMinus[i] - fPlus[j] - fMinus[j] + 2 * fx) / (2 * delta * delta)
                    : (At(i, delta, j, delta) - At(i, delta, j, -delta) - At(i, -delta, j, delta) + At(i, -delta, j, -delta)) / (4 * delta * delta);
                h[i, j] = v;
                h[j, i] = v;
            }
        return (g, h);
    }

    /// <summary>C's %g (6 significant digits), as R's gettextf prints it.</summary>
    public static string FormatG(double v)
    {
        if (v == 0) return "0";
        int exp = (int)Math.Floor(Math.Log10(Math.Abs(v)));
        string s;
        if (exp < -4 || exp >= 6)
        {
            s = v.ToString("0.#####e+00", CultureInfo.InvariantCulture);
        }
        else
        {
            int decimals = Math.Max(0, 5 - exp);
            s = Math.Round(v, decimals).ToString("F" + decimals, CultureInfo.InvariantCulture);
            if (s.Contains('.')) s = s.TrimEnd('0').TrimEnd('.');
        }
        return s;
    }
}

namespace MixedModels.Inference;

/// <summary>
/// First and second derivatives by central differences with Richardson extrapolation (the scheme of numDeriv's
/// <c>genD</c>: r successive halvings of the step, extrapolated to remove the h², h⁴, … error terms), for a
/// vector-valued function so that one set of evaluations serves every component.
/// </summary>
internal static class NumericalDerivatives
{
    /// <summary>Gradients [component][i] and Hessians [component][i, j] of f at x with base steps h (per coordinate).</summary>
    public static (double[][] Gradient, double[][,] Hessian) GradientAndHessian(Func<double[], double[]> f, double[] x, double[] h, int r = 4)
    {
        int n = x.Length;
        var f0 = f(x);
        int m = f0.Length;
        var grad = new double[m][];
        var hess = new double[m][,];
        for (int c = 0; c < m; c++) { grad[c] = new double[n]; hess[c] = new double[n, n]; }
        var d1 = new double[m, r];
        var d2 = new double[m, r];
        var point = new double[n];
        for (int i = 0; i < n; i++)
        {
            double step = h[i];
            for (int k = 0; k < r; k++, step /= 2)
            {
                x.CopyTo(point, 0); point[i] += step;
                var fp = f(point);
                x.CopyTo(point, 0); point[i] -= step;
                var fm = f(point);
                for (int c = 0; c < m; c++)
                {
                    d1[c, k] = (fp[c] - fm[c]) / (2 * step);
                    d2[c, k] = (fp[c] - 2 * f0[c] + fm[c]) / (step * step);
                }
            }
            for (int c = 0; c < m; c++)
            {
                grad[c][i] = Extrapolate(d1, c, r);
                hess[c][i, i] = Extrapolate(d2, c, r);
            }
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
            {
                double si = h[i], sj = h[j];
                for (int k = 0; k < r; k++, si /= 2, sj /= 2)
                {
                    x.CopyTo(point, 0); point[i] += si; point[j] += sj;
                    var fp = f(point);
                    x.CopyTo(point, 0); point[i] -= si; point[j] -= sj;
                    var fm = f(point);
                    for (int c = 0; c < m; c++)
                        d2[c, k] = (fp[c] - 2 * f0[c] + fm[c] - hess[c][i, i] * si * si - hess[c][j, j] * sj * sj) / (2 * si * sj);
                }
                for (int c = 0; c < m; c++) hess[c][i, j] = hess[c][j, i] = Extrapolate(d2, c, r);
            }
        return (grad, hess);
    }

    /// <summary>Richardson's table for estimates at steps h, h/2, …: each column removes the next even power of h.</summary>
    private static double Extrapolate(double[,] d, int c, int r)
    {
        var a = new double[r];
        for (int k = 0; k < r; k++) a[k] = d[c, k];
        for (int level = 1; level < r; level++)
        {
            double f = Math.Pow(4, level);
            for (int k = 0; k < r - level; k++) a[k] = (a[k + 1] * f - a[k]) / (f - 1);
        }
        return a[0];
    }
}

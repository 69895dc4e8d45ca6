using MixedModels.Design;

namespace MixedModels.Tests.LinearAlgebra;

/// <summary>
/// A deliberately plain, dense computation of the profiled deviance's ingredients (O((q+p)³), only for small test
/// problems): Z and Λ built explicitly, Ω = [ΛZ X y]'[ΛZ X y] + diag(I_q, 0, 0), one dense Cholesky.
/// </summary>
internal sealed class DenseReference
{
    public double LogDetZ, LogDetX, Pwrss;
    public double[] Beta = [], U = [];
    public double[,] CondVar = new double[0, 0];
    private int _n, _p;

    public double Objective(bool reml)
    {
        double nn = reml ? _n - _p : _n;
        return LogDetZ + (reml ? LogDetX : 0) + nn * (1 + Math.Log(2 * Math.PI * Pwrss / nn));
    }

    public static DenseReference Compute(ModelDesign design, double[] theta, bool conditionalVariance = true)
    {
        int n = design.Observations, p = design.X.Columns;
        int q = design.RandomTerms.Sum(t => t.RandomEffectCount);
        var zl = new double[n, q];
        int off = 0, toff = 0;
        foreach (var t in design.RandomTerms)
        {
            int d = t.Dimension;
            var tm = new double[d, d];
            for (int c = 0; c < d; c++) for (int rr = c; rr < d; rr++) tm[rr, c] = theta[toff++];
            for (int i = 0; i < n; i++)
            {
                int lev = t.Codes[i];
                for (int b = 0; b < d; b++)
                {
                    double s = 0;
                    for (int a = 0; a < d; a++) s += t.Z[i * d + a] * tm[a, b];
                    zl[i, off + lev * d + b] += s;
                }
            }
            off += t.RandomEffectCount;
        }
        int m = q + p + 1;
        var cols = new double[m][];
        for (int j = 0; j < q; j++) { cols[j] = new double[n]; for (int i = 0; i < n; i++) cols[j][i] = zl[i, j]; }
        for (int j = 0; j < p; j++) cols[q + j] = design.X.Column(j).ToArray();
        cols[q + p] = design.Response.ToArray();
        var omega = new double[m, m];
        for (int a = 0; a < m; a++)
            for (int b = 0; b <= a; b++)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += cols[a][i] * cols[b][i];
                omega[a, b] = omega[b, a] = s;
            }
        for (int j = 0; j < q; j++) omega[j, j] += 1;
        var l = Cholesky(omega);
        var r = new DenseReference { _n = n, _p = p };
        for (int j = 0; j < q; j++) r.LogDetZ += 2 * Math.Log(l[j, j]);
        for (int j = q; j < q + p; j++) r.LogDetX += 2 * Math.Log(l[j, j]);
        r.Pwrss = l[m - 1, m - 1] * l[m - 1, m - 1];
        // [u; beta] solves L' [u; beta] = last row of L (first q+p entries).
        var sol = new double[q + p];
        for (int j = q + p - 1; j >= 0; j--)
        {
            double s = l[m - 1, j];
            for (int k = j + 1; k < q + p; k++) s -= l[k, j] * sol[k];
            sol[j] = s / l[j, j];
        }
        r.U = sol[..q];
        r.Beta = sol[q..];
        if (!conditionalVariance) return r;
        // Conditional variance of b given the data, divided by σ²: Λ (Lz Lz')⁻¹ Λ'.
        var lz = new double[q, q];
        for (int a = 0; a < q; a++) for (int b = 0; b <= a; b++) lz[a, b] = l[a, b];
        var inv = new double[q, q];
        for (int c = 0; c < q; c++)
        {
            var e = new double[q];
            e[c] = 1;
            for (int j = 0; j < q; j++) { double s = e[j]; for (int k = 0; k < j; k++) s -= lz[j, k] * e[k]; e[j] = s / lz[j, j]; }
            for (int j = q - 1; j >= 0; j--) { double s = e[j]; for (int k = j + 1; k < q; k++) s -= lz[k, j] * e[k]; e[j] = s / lz[j, j]; }
            for (int j = 0; j < q; j++) inv[j, c] = e[j];
        }
        var lambda = new double[q, q];
        off = 0; toff = 0;
        foreach (var t in design.RandomTerms)
        {
            int d = t.Dimension;
            var tm = new double[d, d];
            for (int c = 0; c < d; c++) for (int rr = c; rr < d; rr++) tm[rr, c] = theta[toff++];
            for (int lev = 0; lev < t.LevelCount; lev++)
                for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) lambda[off + lev * d + a, off + lev * d + b] = tm[a, b];
            off += t.RandomEffectCount;
        }
        var cv = new double[q, q];
        for (int a = 0; a < q; a++)
            for (int b = 0; b < q; b++)
            {
                double s = 0;
                for (int i = 0; i < q; i++)
                {
                    if (lambda[a, i] == 0) continue;
                    for (int j = 0; j < q; j++) s += lambda[a, i] * inv[i, j] * lambda[b, j];
                }
                cv[a, b] = s;
            }
        r.CondVar = cv;
        return r;
    }

    private static double[,] Cholesky(double[,] a)
    {
        int m = a.GetLength(0);
        var l = new double[m, m];
        for (int j = 0; j < m; j++)
        {
            double s = a[j, j];
            for (int k = 0; k < j; k++) s -= l[j, k] * l[j, k];
            l[j, j] = Math.Sqrt(s);
            for (int i = j + 1; i < m; i++)
            {
                double t = a[i, j];
                for (int k = 0; k < j; k++) t -= l[i, k] * l[j, k];
                l[i, j] = t / l[j, j];
            }
        }
        return l;
    }
}

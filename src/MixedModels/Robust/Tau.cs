using MixedModels.LinearAlgebra;

namespace MixedModels.Robust;

/// <summary>
/// The DAStau consistency factors by Gauss–Hermite quadrature (13 points per dimension, as robustlmm): τ for a scalar
/// quantity whose linear approximation is Z − aψ(Z) − sZ₂ (robustlmm's <c>calcTau</c>), and the 2 × 2 T of a
/// correlated pair (the s = 2 case of <c>calcTau.nondiag</c>, a 4-dimensional rule).
/// </summary>
internal static class Tau
{
    private const int Points = 13;
    private static readonly double[] Nodes, Weights;

    static Tau()
    {
        var j = new double[Points, Points];
        for (int i = 1; i < Points; i++) j[i, i - 1] = j[i - 1, i] = Math.Sqrt(i);
        var (values, vectors) = SymmetricEigen.Decompose(j);
        var order = Enumerable.Range(0, Points).OrderBy(i => values[i]).ToArray();
        Nodes = new double[Points];
        Weights = new double[Points];
        for (int k = 0; k < Points; k++)
        {
            int i = order[k];
            Nodes[k] = Math.Abs(values[i]) < 1e-12 ? 0 : values[i];
            Weights[k] = vectors[0, i] * vectors[0, i];
        }
    }

    /// <summary>
    /// For each i the fixed point τ = √(E[ψσ(t) t τ²] / (κ E[wσ(t)])), t = (Z₁ − aᵢψ(Z₁) − sᵢZ₂)/τ, iterated from
    /// <paramref name="start"/> to a relative change of 1e-6 (at most 200 steps); τ above 1 is set to 1 with
    /// robustlmm's warning. Equal (a, s) pairs (within 1e-8) share one solution.
    /// </summary>
    public static double[] Scalar(ReadOnlySpan<double> a, ReadOnlySpan<double> s, PsiFunction rho, PsiFunction rhoSigma, double kappa,
        ReadOnlySpan<double> start, List<string> warnings, double relTol = 1e-6, int maxIt = 200)
    {
        int n = a.Length;
        var tau = start.Length == n ? start.ToArray() : Enumerable.Repeat(1.0, n).ToArray();
        var psiZ = Nodes.Select(rho.Psi).ToArray();
        var known = new Dictionary<(long, long), double>();
        for (int i = 0; i < n; i++)
        {
            var key = ((long)Math.Round(a[i] * 1e8), (long)Math.Round(s[i] * 1e8));
            if (known.TryGetValue(key, out double done)) { tau[i] = done; continue; }
            double ai = a[i], si = s[i], t = tau[i];
            int it = 0;
            bool conv = false;
            while (!conv && ++it < maxIt && t <= 1)
            {
                double t0 = t, num = 0, den = 0;
                for (int u = 0; u < Points; u++)
                {
                    double zu = Nodes[u] - ai * psiZ[u];
                    for (int v = 0; v < Points; v++)
                    {
                        double w = Weights[u] * Weights[v];
                        double x = (zu - si * Nodes[v]) / t0;
                        num += rhoSigma.Psi(x) * x * w;
                        den += rhoSigma.Weight(x) * w;
                    }
                }
                t = Math.Sqrt(num * t0 * t0 / (kappa * den));
                conv = Math.Abs(t - t0) < relTol * Math.Max(relTol, t0);
            }
            if (it >= maxIt) warnings.Add($"calculation of tau[{i + 1}] reached max.it");
            if (t > 1)
            {
                t = 1;
                warnings.Add($"tau[{i + 1}] > 1, setting it to 1");
            }
            tau[i] = t;
            known[key] = t;
        }
        return tau;
    }

    /// <summary>
    /// The 2 × 2 T_k of one level of a correlated pair (robustlmm's s = 2 case of <c>calcTau.nondiag</c>): from
    /// <paramref name="start"/>, T ← E[wσ(d) b̃b̃'] / E[(ψσ(d) − ψσ(d − 2κ))/2] with b̃ = u − w_b(|u|²) L_kk'u − S_k'v
    /// over the 4-dimensional rule (u, v standard normal pairs) and d = |R⁻¹b̃|² for T = R'R, until no element
    /// changes by 1e-4 of the largest change.
    /// </summary>
    public static double[] Block2(double[] start, double[] lkk, double[] sk, PsiFunction rhoB, PsiFunction rhoSigmaB, double kappa,
        int maxIter, double relTol, List<string> warnings)
    {
        var t = (double[])start.Clone();
        double skappa = 2 * kappa, lastA = double.NaN;
        int count = Points * Points * Points * Points;
        var b1 = new double[count];
        var b2 = new double[count];
        var wt = new double[count];
        int idx = 0;
        // expand.grid order: the first coordinate varies fastest.
        for (int i4 = 0; i4 < Points; i4++)
            for (int i3 = 0; i3 < Points; i3++)
                for (int i2 = 0; i2 < Points; i2++)
                    for (int i1 = 0; i1 < Points; i1++, idx++)
                    {
                        double u1 = Nodes[i1], u2 = Nodes[i2], v1 = Nodes[i3], v2 = Nodes[i4];
                        double wu = rhoB.Weight(u1 * u1 + u2 * u2);
                        // row vector u' Lkk and v' Sk (row-major 2 × 2 blocks)
                        b1[idx] = u1 - wu * (u1 * lkk[0] + u2 * lkk[2]) - (v1 * sk[0] + v2 * sk[2]);
                        b2[idx] = u2 - wu * (u1 * lkk[1] + u2 * lkk[3]) - (v1 * sk[1] + v2 * sk[3]);
                        wt[idx] = Weights[i1] * Weights[i2] * Weights[i3] * Weights[i4];
                    }
        int iter = 0;
        bool conv = false;
        while (!conv && ++iter < maxIter)
        {
            // upper Cholesky R of T (row-major [r11 r12; 0 r22])
            double t11 = t[0], t12 = t[1], t22 = t[3];
            if (!(t11 > 0) || !(t22 - t12 * t12 / t11 > 0))
            {
                warnings.Add("chol(lTbk) failed; setting it to Tb()");
                return (double[])start.Clone();
            }
            double r11 = Math.Sqrt(t11), r12 = t12 / r11, r22 = Math.Sqrt(t22 - r12 * r12);
            double a = 0, m11 = 0, m12 = 0, m22 = 0;
            for (int k = 0; k < count; k++)
            {
                // y = R⁻¹ b̃ (robustlmm's backsolve(R, b̃))
                double y2 = b2[k] / r22, y1 = (b1[k] - r12 * y2) / r11;
                double d = y1 * y1 + y2 * y2;
                a += (rhoSigmaB.Psi(d) - rhoSigmaB.Psi(d - skappa)) / 2 * wt[k];
                double ws = rhoSigmaB.Weight(d) * wt[k];
                m11 += ws * b1[k] * b1[k];
                m12 += ws * b1[k] * b2[k];
                m22 += ws * b2[k] * b2[k];
            }
            if (Math.Abs(a) < 1e-7) a = lastA; else lastA = a;
            double[] next = [m11 / a, m12 / a, m12 / a, m22 / a];
            double maxDiff = 0;
            for (int e = 0; e < 4; e++) maxDiff = Math.Max(maxDiff, Math.Abs(t[e] - next[e]));
            double bound = relTol * Math.Max(maxDiff, relTol);
            conv = true;
            for (int e = 0; e < 4; e++) if (!(Math.Abs(t[e] - next[e]) < bound)) conv = false;
            t = next;
        }
        return t;
    }

    /// <summary>robustlmm's <c>lchol</c>: the upper Cholesky factor (row-major), or the square roots of the diagonal when that fails.</summary>
    public static double[] UpperCholeskyOrDiagonal(double[,] x)
    {
        int d = x.GetLength(0);
        var r = SmallMatrix.CholeskyUpper(x);
        var result = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) result[i * d + j] = r is null ? (i == j ? Math.Sqrt(Math.Max(0, x[i, i])) : 0) : r[i, j];
        return result;
    }
}

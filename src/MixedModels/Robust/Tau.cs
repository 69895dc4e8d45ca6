using System.Numerics;
using MixedModels.LinearAlgebra;

namespace MixedModels.Robust;

/// <summary>
/// The DAStau consistency factors by Gauss–Hermite quadrature (13 points per dimension, as robustlmm): τ for a scalar
/// quantity whose linear approximation is Z − aψ(Z) − sZ₂ (robustlmm's <c>calcTau</c>), and the 2 × 2 T of a
/// correlated pair (the s = 2 case of <c>calcTau.nondiag</c>, a 4-dimensional rule).
/// </summary>
internal static partial class Tau
{
    private const int Points = 13;
    private static readonly double[] Nodes, Weights;

    static Tau()
    {
        (Nodes, Weights) = Estimation.GaussHermite.Rule(Points);
        HalfGrid2 = FoldedGrid2();
    }

    /// <summary>Product weights below this are left out of the 4-dimensional rule (their total is 9e-10, below robustlmm's 1e-8 tolerance on T).</summary>
    private const double NegligibleWeight = 1e-12;

    /// <summary>
    /// The 2-dimensional rule folded by its symmetry (Z₁, Z₂) → (−Z₁, −Z₂), which the integrands respect: the first
    /// node of each pair with twice the weight, the centre once.
    /// </summary>
    private static readonly (int U, int V, double W)[] HalfGrid2;

    private static (int, int, double)[] FoldedGrid2()
    {
        var list = new List<(int, int, double)>();
        for (int u = 0; u < Points; u++)
            for (int v = 0; v < Points; v++)
            {
                int index = u * Points + v, mirror = (Points - 1 - u) * Points + (Points - 1 - v);
                if (index > mirror) continue;
                list.Add((u, v, Weights[u] * Weights[v] * (index == mirror ? 1 : 2)));
            }
        return [.. list];
    }

    /// <summary>
    /// For each i the fixed point τ = √(E[ψσ(t) t τ²] / (κ E[wσ(t)])), t = (Z₁ − aᵢψ(Z₁) − sᵢZ₂)/τ, iterated from
    /// <paramref name="start"/> to a relative change of 1e-6 (at most 200 steps); τ above 1 is set to 1 with
    /// robustlmm's warning. Equal (a, s) pairs (within 1e-8) share one solution.
    /// </summary>
    public static double[] Scalar(ReadOnlySpan<double> a, ReadOnlySpan<double> s, PsiFunction rho, PsiFunction rhoSigma, double kappa,
        ReadOnlySpan<double> start, List<string> warnings, double relTol = 1e-6, int maxIt = 200) => rhoSigma switch
        {
            ProposalIIPsi { Inner: SmoothHuberPsi { IntegerS: > 0 } sh } =>
                Scalar(new PsiKernels.ProposalIIKernel<PsiKernels.SmoothHuberKernel>(new(sh)), a, s, rho, kappa, start, warnings, relTol, maxIt),
            ProposalIIPsi { Inner: HuberPsi h } =>
                Scalar(new PsiKernels.ProposalIIKernel<PsiKernels.HuberKernel>(new(h.K)), a, s, rho, kappa, start, warnings, relTol, maxIt),
            SmoothHuberPsi { IntegerS: > 0 } sh => Scalar(new PsiKernels.SmoothHuberKernel(sh), a, s, rho, kappa, start, warnings, relTol, maxIt),
            HuberPsi h => Scalar(new PsiKernels.HuberKernel(h.K), a, s, rho, kappa, start, warnings, relTol, maxIt),
            _ => Scalar(new PsiKernels.GenericKernel(rhoSigma), a, s, rho, kappa, start, warnings, relTol, maxIt),
        };

    /// <summary>Rows per chunk when the rows are split between the cores.</summary>
    private const int ChunkRows = 1024;

    private static double[] Scalar<TKernel>(TKernel kernel, ReadOnlySpan<double> a, ReadOnlySpan<double> s, PsiFunction rho, double kappa,
        ReadOnlySpan<double> start, List<string> warnings, double relTol, int maxIt) where TKernel : struct, PsiKernels.IKernel
    {
        int n = a.Length;
        var tau = start.Length == n ? start.ToArray() : Enumerable.Repeat(1.0, n).ToArray();
        if (n < 2 * ChunkRows)
        {
            ScalarRange(kernel, a, s, rho, kappa, tau, 0, warnings, relTol, maxIt);
            return tau;
        }
        var aa = a.ToArray();
        var ss = s.ToArray();
        int chunks = (n + ChunkRows - 1) / ChunkRows;
        var local = new List<string>[chunks];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, c =>
        {
            int from = c * ChunkRows, to = Math.Min(n, from + ChunkRows);
            local[c] = [];
            ScalarRange(kernel, aa.AsSpan(from, to - from), ss.AsSpan(from, to - from), rho, kappa, tau.AsSpan(from, to - from), from, local[c], relTol, maxIt);
        });
        foreach (var l in local) warnings.AddRange(l);
        return tau;
    }

    /// <summary>The fixed points of rows [offset, offset + a.Length) in place in <paramref name="tau"/> (equal (a, s) pairs within the range share one).</summary>
    private static void ScalarRange<TKernel>(TKernel kernel, ReadOnlySpan<double> a, ReadOnlySpan<double> s, PsiFunction rho, double kappa,
        Span<double> tau, int offset, List<string> warnings, double relTol, int maxIt) where TKernel : struct, PsiKernels.IKernel
    {
        int n = a.Length, lanes = Vector<double>.Count;
        var psiZ = Nodes.Select(rho.Psi).ToArray();
        var grid = HalfGrid2;
        int padded = (grid.Length + lanes - 1) / lanes * lanes;
        var x0 = new double[padded];
        var w = new double[padded];
        for (int g = 0; g < grid.Length; g++) w[g] = grid[g].W;
        var known = new Dictionary<(long, long), double>();
        for (int i = 0; i < n; i++)
        {
            var key = ((long)Math.Round(a[i] * 1e8), (long)Math.Round(s[i] * 1e8));
            if (known.TryGetValue(key, out double done)) { tau[i] = done; continue; }
            double ai = a[i], si = s[i], t = tau[i];
            for (int g = 0; g < grid.Length; g++) x0[g] = Nodes[grid[g].U] - ai * psiZ[grid[g].U] - si * Nodes[grid[g].V];
            int it = 0;
            bool conv = false;
            while (!conv && ++it < maxIt && t <= 1)
            {
                double t0 = t;
                var inv = new Vector<double>(1 / t0);
                Vector<double> num = Vector<double>.Zero, den = Vector<double>.Zero;
                for (int g = 0; g < padded; g += lanes)
                {
                    var x = new Vector<double>(x0, g) * inv;
                    var wg = new Vector<double>(w, g);
                    num += kernel.Psi(x) * x * wg;
                    den += kernel.Weight(x) * wg;
                }
                t = Math.Sqrt(Vector.Sum(num) * t0 * t0 / (kappa * Vector.Sum(den)));
                conv = Math.Abs(t - t0) < relTol * Math.Max(relTol, t0);
            }
            if (it >= maxIt) warnings.Add($"calculation of tau[{offset + i + 1}] reached max.it");
            if (t > 1)
            {
                t = 1;
                warnings.Add($"tau[{offset + i + 1}] > 1, setting it to 1");
            }
            tau[i] = t;
            known[key] = t;
        }
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

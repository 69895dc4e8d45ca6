using System.Numerics;
using System.Runtime.CompilerServices;
using static MixedModels.Robust.PsiKernels;

namespace MixedModels.Robust;

internal static partial class Tau
{

    /// <summary>
    /// The 2 × 2 T_k of one level of a correlated pair (robustlmm's s = 2 case of <c>calcTau.nondiag</c>): from
    /// <paramref name="start"/>, T ← E[wσ(d) b̃b̃'] / E[(ψσ(d) − ψσ(d − 2κ))/2] with b̃ = u − w_b(|u|²) L_kk'u − S_k'v
    /// over the 13⁴-point rule (u, v standard normal pairs) and d = |R⁻¹b̃|² for T = R'R, until no element changes
    /// by 1e-4 of the largest change (or, given, by less than <paramref name="tolerance"/>). b̃ separates into a part of u and a part of v, so the rule runs as 169 × 169
    /// pairs, folded by the symmetry (u, v) → (−u, −v) (b̃ changes sign, the integrands do not) and without the
    /// pairs whose weight is below 1e-12; the default ψ-functions are evaluated four points at a time.
    /// </summary>
    public static double[] Block2(double[] start, double[] lkk, double[] sk, PsiFunction rhoB, PsiFunction rhoSigmaB, double kappa,
        int maxIter, double relTol, List<string> warnings, double? tolerance = null)
    {
        var rule = new PairRule(lkk, sk, rhoB);
        var t = (double[])start.Clone();
        double lastA = double.NaN;
        double[]? lastResidual = null, lastImage = null;
        int iter = 0;
        bool conv = false;
        while (!conv && ++iter < maxIter)
        {
            double t11 = t[0], t12 = t[1], t22 = t[3];
            if (!(t11 > 0) || !(t22 - t12 * t12 / t11 > 0))
            {
                warnings.Add("chol(lTbk) failed; setting it to Tb()");
                return (double[])start.Clone();
            }
            // upper Cholesky R of T: [r11 r12; 0 r22]; y = R⁻¹ b̃ (robustlmm's backsolve(R, b̃))
            double r11 = Math.Sqrt(t11), r12 = t12 / r11, r22 = Math.Sqrt(t22 - r12 * r12);
            var sums = rhoSigmaB switch
            {
                SmoothHuberPsi { IntegerS: > 0 } sh => rule.Accumulate(new SmoothHuberKernel(sh), 1 / r11, r12, 1 / r22, kappa),
                HuberPsi h => rule.Accumulate(new HuberKernel(h.K), 1 / r11, r12, 1 / r22, kappa),
                ProposalIIPsi { Inner: SmoothHuberPsi { IntegerS: > 0 } sh } => rule.Accumulate(new ProposalIIKernel<SmoothHuberKernel>(new(sh)), 1 / r11, r12, 1 / r22, kappa),
                ProposalIIPsi { Inner: HuberPsi h } => rule.Accumulate(new ProposalIIKernel<HuberKernel>(new(h.K)), 1 / r11, r12, 1 / r22, kappa),
                _ => rule.Accumulate(new GenericKernel(rhoSigmaB), 1 / r11, r12, 1 / r22, kappa),
            };
            double a = sums.A;
            if (Math.Abs(a) < 1e-7) a = lastA; else lastA = a;
            double[] next = [sums.M11 / a, sums.M12 / a, sums.M12 / a, sums.M22 / a];
            double maxDiff = 0;
            for (int e = 0; e < 4; e++) maxDiff = Math.Max(maxDiff, Math.Abs(t[e] - next[e]));
            // robustlmm's rule, all changes below relTol·max(largest change, relTol), holds exactly when the largest
            // change is below relTol²; a looser tolerance may be asked for while the outer iterations are far off.
            conv = maxDiff < (tolerance ?? relTol * relTol);
            if (conv) { t = next; break; }
            // Anderson acceleration (depth 1) of the fixed-point map on (T11, T12, T22): the same fixed point and the
            // same stopping rule (the map moves T by less than the tolerance), in fewer passes over the rule.
            double[] residual = [next[0] - t[0], next[1] - t[1], next[3] - t[3]];
            double[] candidate = next;
            if (lastResidual is not null)
            {
                double num = 0, den = 0;
                for (int e = 0; e < 3; e++)
                {
                    double dr = residual[e] - lastResidual[e];
                    num += dr * residual[e];
                    den += dr * dr;
                }
                if (den > 0)
                {
                    double gamma = num / den;
                    double c11 = next[0] - gamma * (next[0] - lastImage![0]);
                    double c12 = next[1] - gamma * (next[1] - lastImage[1]);
                    double c22 = next[3] - gamma * (next[3] - lastImage[3]);
                    if (c11 > 0 && c22 > 0 && c11 * c22 > c12 * c12) candidate = [c11, c12, c12, c22];
                }
            }
            lastResidual = residual;
            lastImage = next;
            t = candidate;
        }
        return t;
    }

    /// <summary>The sums of one pass over the rule: E[(ψσ(d) − ψσ(d − 2κ))/2] and E[wσ(d) b̃b̃'].</summary>
    private readonly record struct Block2Sums(double A, double M11, double M12, double M22);

    /// <summary>
    /// The rule as pairs of a u-point p (b̃'s part u − w_b(|u|²)L_kk'u) and a v-point q (S_k'v): each p of the folded
    /// half with its weight (doubled off the centre), the q's sorted by weight, with padding to whole vectors.
    /// </summary>
    private sealed class PairRule
    {
        private readonly double[] _p1, _p2;
        private readonly double[] _q1, _q2;

        /// <summary>The v-points in decreasing order of weight, and their weights (padded to whole vectors).</summary>
        private static readonly int[] QOrder;
        private static readonly double[] QWeights;

        /// <summary>The u-points of the folded half that have any pair above the weight cut, their weights (doubled off the centre) and pair counts.</summary>
        private static readonly int[] PPoints, PCounts;
        private static readonly double[] PWeights;

        static PairRule()
        {
            int n = Points * Points, lanes = Vector<double>.Count;
            QOrder = Enumerable.Range(0, n).OrderByDescending(q => Weights[q / Points] * Weights[q % Points]).ThenBy(q => q).ToArray();
            QWeights = new double[(n + lanes - 1) / lanes * lanes];
            for (int k = 0; k < n; k++) QWeights[k] = Weights[QOrder[k] / Points] * Weights[QOrder[k] % Points];
            var points = new List<int>();
            var counts = new List<int>();
            var weights = new List<double>();
            // The u-points of the folded 2-d rule (the first of each mirrored pair, weight doubled; the centre once).
            foreach (var (u, v, folded) in HalfGrid2)
            {
                double w = Weights[u] * Weights[v];
                int count = 0;
                while (count < n && w * QWeights[count] >= NegligibleWeight) count++;
                if (count == 0) continue;
                points.Add(u * Points + v);
                counts.Add((count + lanes - 1) / lanes * lanes);
                weights.Add(folded);
            }
            PPoints = [.. points];
            PCounts = [.. counts];
            PWeights = [.. weights];
        }

        public PairRule(double[] lkk, double[] sk, PsiFunction rhoB)
        {
            int n = Points * Points;
            _q1 = new double[QWeights.Length];
            _q2 = new double[QWeights.Length];
            for (int k = 0; k < n; k++)
            {
                int q = QOrder[k];
                double v1 = Nodes[q / Points], v2 = Nodes[q % Points];
                _q1[k] = v1 * sk[0] + v2 * sk[2];
                _q2[k] = v1 * sk[1] + v2 * sk[3];
            }
            _p1 = new double[PPoints.Length];
            _p2 = new double[PPoints.Length];
            for (int k = 0; k < PPoints.Length; k++)
            {
                int p = PPoints[k];
                double u1 = Nodes[p / Points], u2 = Nodes[p % Points];
                double wu = rhoB.Weight(u1 * u1 + u2 * u2);
                _p1[k] = u1 - wu * (u1 * lkk[0] + u2 * lkk[2]);
                _p2[k] = u2 - wu * (u1 * lkk[1] + u2 * lkk[3]);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Block2Sums Accumulate<TKernel>(TKernel kernel, double i11, double r12, double i22, double kappa) where TKernel : struct, IKernel
        {
            int lanes = Vector<double>.Count;
            var vi11 = new Vector<double>(i11);
            var vr12 = new Vector<double>(r12);
            var vi22 = new Vector<double>(i22);
            var vsk = new Vector<double>(2 * kappa);
            var half = new Vector<double>(0.5);
            var vkappa = new Vector<double>(kappa);
            // The fast path needs d − 2κ ≥ −c as well; d ≥ 0, so 2κ ≤ c suffices (κ < 1 for every dimension).
            var linear = new Vector<double>(2 * kappa <= kernel.LinearBound ? kernel.LinearBound : -1);
            double a = 0, m11 = 0, m12 = 0, m22 = 0;
            for (int p = 0; p < _p1.Length; p++)
            {
                var p1 = new Vector<double>(_p1[p]);
                var p2 = new Vector<double>(_p2[p]);
                Vector<double> sa = Vector<double>.Zero, s11 = Vector<double>.Zero, s12 = Vector<double>.Zero, s22 = Vector<double>.Zero;
                int count = PCounts[p];
                for (int q = 0; q < count; q += lanes)
                {
                    var b1 = p1 - new Vector<double>(_q1, q);
                    var b2 = p2 - new Vector<double>(_q2, q);
                    var w = new Vector<double>(QWeights, q);
                    var y2 = b2 * vi22;
                    var y1 = (b1 - vr12 * y2) * vi11;
                    var d = y1 * y1 + y2 * y2;
                    Vector<double> ws;
                    if (Vector.LessThanOrEqualAll(d, linear))
                    {
                        // every lane in the linear part (d ≤ c, so |d − 2κ| ≤ c too): (ψ(d) − ψ(d − 2κ))/2 = κ, weight 1
                        sa += vkappa * w;
                        ws = w;
                    }
                    else
                    {
                        var psi = kernel.PsiOfDistance(d, out var weight);
                        sa += (psi - kernel.Psi(d - vsk)) * half * w;
                        ws = weight * w;
                    }
                    var wb1 = ws * b1;
                    s11 += wb1 * b1;
                    s12 += wb1 * b2;
                    s22 += ws * b2 * b2;
                }
                double pw = PWeights[p];
                a += pw * Vector.Sum(sa);
                m11 += pw * Vector.Sum(s11);
                m12 += pw * Vector.Sum(s12);
                m22 += pw * Vector.Sum(s22);
            }
            return new Block2Sums(a, m11, m12, m22);
        }
    }
}

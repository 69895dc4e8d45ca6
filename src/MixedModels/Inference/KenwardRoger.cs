using MixedModels.LinearAlgebra;
using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>
/// Kenward and Roger's adjusted covariance of β̂ and degrees of freedom, as pbkrtest computes them (the model is
/// refitted by REML first when it is an ML fit). pbkrtest works with the n × n matrices V⁻¹ and ∂V/∂γ; here every
/// quantity is written through the q-dimensional cross-products, using V⁻¹ = σ⁻²(I − Z W Z') with
/// W = Λ(Λ'Z'ZΛ + I)⁻¹Λ', so the cost is O(q³ + q²p) time and O(q²) memory instead of O(n³) and O(n²).
/// </summary>
public sealed class KenwardRoger
{
    /// <summary>More random effects than this and the q × q matrices would be too large.</summary>
    public const int MaxRandomEffects = 6000;

    private readonly double[,] _phi, _phiA, _w;
    private readonly double[][,] _p;
    private readonly double[] _beta;
    private readonly string[] _names;
    private readonly double _sigma;

    private KenwardRoger(double[,] phi, double[,] phiA, double[][,] p, double[,] w, double[] beta, string[] names, double sigma)
    {
        _phi = phi; _phiA = phiA; _p = p; _w = w; _beta = beta; _names = names; _sigma = sigma;
    }

    /// <summary>The adjusted covariance matrix Φ_A of the fixed effects.</summary>
    public double[,] AdjustedCovariance() => (double[,])_phiA.Clone();

    /// <summary>Computes the adjustment for a fit (an ML fit is refitted by REML first, as pbkrtest does).</summary>
    public static KenwardRoger Compute(LinearMixedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Design.HasWeights)
            throw new ModelException("Kenward-Roger's method is not available for a model with prior weights (pbkrtest, which lmerTest uses for it, builds the marginal covariance without the weights, so there is no reference to agree with); use Satterthwaite's method");
        if (!model.Reml)
            throw new ModelException("Kenward-Roger's method is only available for REML fits (as in lmerTest); refit without --ml (REML) or use Satterthwaite's method");
        var ws = model.CreateWorkspace();
        int q = ws.RandomEffectCount, p = model.FixedEffects.Count, n = model.Observations;
        if (q > MaxRandomEffects)
            throw new ModelException($"Kenward-Roger needs dense {q} × {q} matrices here (pbkrtest needs {n} × {n}); use Satterthwaite's method for models with more than {MaxRandomEffects} random effects");
        var (k, c, xtx) = ws.DenseCrossProducts();
        var design = model.Design;
        double s2 = model.Sigma * model.Sigma;

        // Λ and W = Λ (Λ'KΛ + I)⁻¹ Λ'.
        var lambda = new double[q, q];
        var pairs = new List<(int Term, int A, int B)>();
        int off = 0, toff = 0;
        var offsets = new List<int>();
        foreach (var term in design.RandomTerms)
        {
            int d = term.Dimension;
            var t = new double[d, d];
            for (int col = 0; col < d; col++) for (int row = col; row < d; row++) t[row, col] = model.Theta[toff++];
            for (int l = 0; l < term.LevelCount; l++)
                for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) lambda[off + l * d + a, off + l * d + b] = t[a, b];
            for (int col = 0; col < d; col++) for (int row = col; row < d; row++) pairs.Add((offsets.Count, row, col));
            offsets.Add(off);
            off += term.RandomEffectCount;
        }
        var lkl = Mul(Mul(Transpose(lambda), k), lambda);
        for (int i = 0; i < q; i++) lkl[i, i] += 1;
        var w = Mul(Mul(lambda, TypeIIIContrasts.Inverse(lkl)), Transpose(lambda));

        var wk = Mul(w, k);
        var kwk = Mul(k, wk);
        var wc = Mul(w, c);
        var kwc = Mul(k, wc);
        var ct = Transpose(c);
        var szz = Scale(Sub(k, kwk), 1 / s2);
        var szx = Scale(Sub(c, kwc), 1 / s2);
        var kwkwk = Mul(kwk, wk);
        var tzz = Scale(Add(Sub(k, Scale(kwk, 2)), kwkwk), 1 / (s2 * s2));
        var kwkwc = Mul(kwk, wc);
        var tzx = Scale(Add(Sub(c, Scale(kwc, 2)), kwkwc), 1 / (s2 * s2));
        var cwc = Mul(ct, wc);
        var cwkwc = Mul(ct, Mul(wk, wc));
        var txx = Scale(Add(Sub(xtx, Scale(cwc, 2)), cwkwc), 1 / (s2 * s2));
        var cwkwkwc = Mul(ct, Mul(wk, Mul(wk, wc)));
        var uxx = Scale(Sub(Add(Sub(xtx, Scale(cwc, 3)), Scale(cwkwc, 3)), cwkwkwc), 1 / (s2 * s2 * s2));
        double trWK = Trace(wk), trWKWK = TraceProduct(wk, wk);
        double trV2 = (n - 2 * trWK + trWKWK) / (s2 * s2);

        // E_i as (row, source row) pairs: (E_i M)[r, :] = M[s, :].
        var rowPairs = new List<(int R, int S)[]>();
        foreach (var (term, a, b) in pairs)
        {
            var rt = design.RandomTerms[term];
            int d = rt.Dimension;
            var list = new List<(int, int)>();
            for (int l = 0; l < rt.LevelCount; l++)
            {
                int b0 = offsets[term] + l * d;
                list.Add((b0 + a, b0 + b));
                if (a != b) list.Add((b0 + b, b0 + a));
            }
            rowPairs.Add([.. list]);
        }
        int ng = pairs.Count + 1;
        var e = new double[ng - 1][,];
        for (int i = 0; i < ng - 1; i++) e[i] = ApplyE(rowPairs[i], szx);

        var pmat = new double[ng][,];
        for (int i = 0; i < ng - 1; i++) pmat[i] = Scale(Mul(Transpose(e[i]), szx), -1);
        pmat[ng - 1] = Scale(txx, -1);

        var qmat = new double[ng, ng][,];
        var ktrace = new double[ng, ng];
        for (int i = 0; i < ng; i++)
            for (int j = i; j < ng; j++)
            {
                bool ri = i < ng - 1, rj = j < ng - 1;
                if (ri && rj)
                {
                    qmat[i, j] = Mul(Transpose(e[i]), Mul(szz, e[j]));
                    double s = 0;
                    foreach (var (r, sr) in rowPairs[i])
                        foreach (var (r2, s2r) in rowPairs[j]) s += szz[sr, r2] * szz[s2r, r];
                    ktrace[i, j] = s;
                }
                else if (ri)
                {
                    qmat[i, j] = Mul(Transpose(e[i]), tzx);
                    double s = 0;
                    foreach (var (r, sr) in rowPairs[i]) s += tzz[sr, r];
                    ktrace[i, j] = s;
                }
                else
                {
                    qmat[i, j] = uxx;
                    ktrace[i, j] = trV2;
                }
                ktrace[j, i] = ktrace[i, j];
            }

        var phi = model.FixedEffectsCovariance();
        var ie2 = new double[ng, ng];
        for (int i = 0; i < ng; i++)
        {
            var phiPi = Mul(phi, pmat[i]);
            for (int j = i; j < ng; j++)
            {
                var pjPhi = Mul(pmat[j], phi);
                ie2[i, j] = ie2[j, i] = ktrace[i, j] - 2 * ElementSum(phi, qmat[i, j]) + ElementSum(phiPi, pjPhi);
            }
        }
        var wmat = Scale(PseudoInverse(ie2, 1e-10), 2);
        var u = new double[p, p];
        for (int i = 0; i < ng - 1; i++)
            for (int j = i + 1; j < ng; j++) u = Add(u, Scale(Sub(qmat[i, j], Mul(Mul(pmat[i], phi), pmat[j])), wmat[i, j]));
        u = Add(u, Transpose(u));
        for (int i = 0; i < ng; i++) u = Add(u, Scale(Sub(qmat[i, i], Mul(Mul(pmat[i], phi), pmat[i])), wmat[i, i]));
        var phiA = Add(phi, Scale(Mul(Mul(phi, u), phi), 2));
        var beta = model.FixedEffects.Select(f => f.Estimate).ToArray();
        var names = model.FixedEffects.Select(f => f.Name).ToArray();
        return new KenwardRoger(phi, phiA, pmat, wmat, beta, names, model.Sigma);
    }

    /// <summary>The t test of l'β = 0 with the adjusted standard error and Kenward-Roger degrees of freedom (lmerTest's summary).</summary>
    public TTest Test(ReadOnlySpan<double> contrast, string? name = null)
    {
        int p = _beta.Length;
        var l = new double[1, p];
        double est = 0;
        for (int j = 0; j < p; j++) { l[0, j] = contrast[j]; est += contrast[j] * _beta[j]; }
        double var = QuadraticForm(l, 0, _phiA);
        var (df, _, _) = Adjust(l, 1);
        double se = Math.Sqrt(var), t = est / se;
        return new TTest(name ?? "contrast", est, se, df, t, Probability.TwoSidedT(t, df));
    }

    /// <summary>Every fixed effect's t test.</summary>
    public IReadOnlyList<TTest> Coefficients() => TTest.EachCoefficient(_names, (e, name) => Test(e, name));

    /// <summary>The F test of Lβ = 0 with Kenward-Roger's scaling and degrees of freedom (pbkrtest's <c>KRmodcomp</c>).</summary>
    public FTest Test(double[,] contrasts, string term)
    {
        int rows = contrasts.GetLength(0), p = _beta.Length;
        int q = MatrixRank(contrasts);
        var (df2, scaling, _) = Adjust(contrasts, q);
        var lb = new double[rows];
        for (int a = 0; a < rows; a++) for (int j = 0; j < p; j++) lb[a] += contrasts[a, j] * _beta[j];
        var lpl = Sandwich(contrasts, _phiA);
        var sol = Solve(lpl, lb);
        double wald = 0;
        for (int a = 0; a < rows; a++) wald += lb[a] * sol[a];
        double fU = wald / q, f = scaling * fU;
        double ms = fU * _sigma * _sigma;
        return new FTest(term, ms * q, ms, q, df2, f, Probability.FUpper(f, q, df2));
    }

    /// <summary>pbkrtest's <c>.KR_adjust</c>: the denominator df, the F scaling, and A2.</summary>
    private (double Df, double Scaling, double A2) Adjust(double[,] l, int q)
    {
        int p = _beta.Length;
        var lpl = Sandwich(l, _phi);
        var inv = TypeIIIContrasts.Inverse(lpl);
        var theta = Mul(Mul(Transpose(l), inv), l);
        var thetaPhi = Mul(theta, _phi);
        int ng = _p.Length;
        var uList = new double[ng][,];
        for (int i = 0; i < ng; i++) uList[i] = Mul(Mul(thetaPhi, _p[i]), _phi);
        double a1 = 0, a2 = 0;
        for (int i = 0; i < ng; i++)
            for (int j = i; j < ng; j++)
            {
                double e = i == j ? 1 : 2;
                a1 += e * _w[i, j] * Trace(uList[i]) * Trace(uList[j]);
                a2 += e * _w[i, j] * TraceProduct(uList[i], uList[j]);
            }
        double b = (a1 + 6 * a2) / (2 * q);
        double g = ((q + 1) * a1 - (q + 4) * a2) / ((q + 2) * a2);
        double denom = 3 * q + 2 * (1 - g);
        double c1 = g / denom, c2 = (q - g) / denom, c3 = (q + 2 - g) / denom;
        double v0 = 1 + c1 * b, v1 = 1 - c2 * b, v2 = 1 - c3 * b;
        if (Math.Abs(v0) < 1e-10) v0 = 0;
        double ratio = Math.Abs(1 - a2 / q) < 1e-14 && Math.Abs(v1) < 1e-14 ? 1 : (1 - a2 / q) / v1;
        double rho = 1.0 / q * ratio * ratio * v0 / v2;
        double df2 = 4 + (q + 2) / (q * rho - 1);
        double scaling = Math.Abs(df2 - 2) < 1e-2 ? 1 : df2 * (1 - a2 / q) / (df2 - 2);
        _ = p;
        return (df2, scaling, a2);
    }

    private static double QuadraticForm(double[,] l, int row, double[,] m)
    {
        int p = m.GetLength(0);
        double s = 0;
        for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) s += l[row, i] * m[i, j] * l[row, j];
        return s;
    }

    private static double[,] Sandwich(double[,] l, double[,] m) => Mul(Mul(l, m), Transpose(l));

    private static int MatrixRank(double[,] l)
    {
        var ll = Mul(l, Transpose(l));
        var (values, _) = SymmetricEigen.Decompose(ll);
        double tol = Math.Max(values[0], 0) * 1e-10;
        return Math.Max(1, values.Count(v => v > tol));
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        var inv = TypeIIIContrasts.Inverse(a);
        int n = b.Length;
        var x = new double[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) x[i] += inv[i, j] * b[j];
        return x;
    }

    private static double[,] PseudoInverse(double[,] a, double conditionTolerance)
    {
        var (values, vectors) = SymmetricEigen.Decompose(a);
        double minAbs = values.Min(Math.Abs);
        int n = values.Length;
        var inv = new double[n, n];
        double maxAbs = values.Max(Math.Abs);
        for (int c = 0; c < n; c++)
        {
            if (minAbs <= conditionTolerance && Math.Abs(values[c]) <= 1.490116e-08 * maxAbs) continue;
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) inv[i, j] += vectors[i, c] * vectors[j, c] / values[c];
        }
        return inv;
    }

    private static double[,] ApplyE((int R, int S)[] pairs, double[,] m)
    {
        int q = m.GetLength(0), cols = m.GetLength(1);
        var result = new double[q, cols];
        foreach (var (r, s) in pairs) for (int j = 0; j < cols; j++) result[r, j] = m[s, j];
        return result;
    }

    private static double[,] Mul(double[,] a, double[,] b) => SmallMatrix.Multiply(a, b);

    private static double[,] Transpose(double[,] a) => SmallMatrix.Transpose(a);

    private static double[,] Combine(double[,] a, double[,] b, double sb)
    {
        int r = a.GetLength(0), c = a.GetLength(1);
        var s = new double[r, c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) s[i, j] = a[i, j] + sb * b[i, j];
        return s;
    }

    private static double[,] Add(double[,] a, double[,] b) => Combine(a, b, 1);

    private static double[,] Sub(double[,] a, double[,] b) => Combine(a, b, -1);

    private static double[,] Scale(double[,] a, double f)
    {
        int r = a.GetLength(0), c = a.GetLength(1);
        var s = new double[r, c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) s[i, j] = f * a[i, j];
        return s;
    }

    private static double Trace(double[,] a)
    {
        double s = 0;
        for (int i = 0; i < a.GetLength(0); i++) s += a[i, i];
        return s;
    }

    /// <summary>tr(A B).</summary>
    private static double TraceProduct(double[,] a, double[,] b)
    {
        double s = 0;
        int n = a.GetLength(0), m = a.GetLength(1);
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) s += a[i, j] * b[j, i];
        return s;
    }

    /// <summary>Σ a ∘ b (R's sum(a * b)).</summary>
    private static double ElementSum(double[,] a, double[,] b)
    {
        double s = 0;
        for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) s += a[i, j] * b[i, j];
        return s;
    }
}

using MixedModels.Design;
using MixedModels.LinearAlgebra;

namespace MixedModels.Robust;

/// <summary>
/// The mutable state of a robust fit (robustlmm's <c>rlmerPredD_DAS</c>) for a design: θ, β, the spherical random
/// effects b_s (b = Λ b_s), σ, and the matrices of the linearized estimating equations at the current θ. With
/// W = [X ZΛ] and P = diag(0, I_q), J = E[ψ_e'] (W'W + P) and G = J⁻¹; its blocks are robustlmm's M_BB, M_bB, M_bb;
/// the hat matrix is A = W G W', K = −G_b· W', L = M_bb Λ_b. Rows of W are sparse (p + Σ d_t entries), so the
/// diagonals of A and A A' and of the random-effect terms come from per-row quadratic forms, never an n × n matrix.
/// </summary>
internal sealed partial class RobustWorkspace
{
    private readonly ModelDesign _design;
    private readonly int _n, _p, _q, _m, _r;
    private readonly int[] _cols;          // n × r column indices of W's non-zeros
    private readonly double[] _w;          // n × r values of W at the current θ
    private readonly double[] _y;
    private readonly int[] _termOffset, _termDim;
    private readonly double[] _g;          // m × m, column-major: G = J⁻¹
    private readonly double[] _diagA, _diagAAt, _hq;
    private BlockSystem? _blockSystem;

    public RobustWorkspace(ModelDesign design, RobustModelSetup setup)
    {
        _design = design;
        Setup = setup;
        _n = design.Observations;
        _p = design.X.Columns;
        var terms = design.TermsArray;
        _termOffset = new int[terms.Length];
        _termDim = new int[terms.Length];
        int q = 0, r = _p;
        for (int t = 0; t < terms.Length; t++)
        {
            _termOffset[t] = q;
            _termDim[t] = terms[t].Dimension;
            q += terms[t].RandomEffectCount;
            r += terms[t].Dimension;
        }
        _q = q;
        _m = _p + q;
        _r = r;
        _y = design.ResponseArray;
        if (design.OffsetArray is { } offset)
        {
            _y = (double[])_y.Clone();
            for (int i = 0; i < _n; i++) _y[i] -= offset[i];
        }
        _cols = new int[_n * r];
        _w = new double[_n * r];
        for (int i = 0; i < _n; i++)
        {
            int at = i * r;
            for (int j = 0; j < _p; j++) { _cols[at + j] = j; _w[at + j] = design.X.Data[j * _n + i]; }
            at += _p;
            for (int t = 0; t < terms.Length; t++)
            {
                int d = _termDim[t], code = terms[t].CodesArray[i];
                for (int c = 0; c < d; c++) _cols[at + c] = _p + _termOffset[t] + code * d + c;
                at += d;
            }
        }
        _g = new double[_m * _m];
        _diagA = new double[_n];
        _diagAAt = new double[_n];
        _hq = new double[_n];
        Theta = new double[design.ThetaLength];
        Beta = new double[_p];
        Bs = new double[q];
        LambdaB = new double[q];
        E1 = new double[q];
        E2 = new double[q];
        for (int t = 0; t < terms.Length; t++)
        {
            var k = setup.Terms[t];
            for (int j = 0; j < terms[t].RandomEffectCount; j++)
            {
                int b = _termOffset[t] + j;
                LambdaB[b] = setup.De / k.Constants.D;
                E1[b] = k.Constants.PsiB;
                E2[b] = k.Constants.PsiPsi;
            }
        }
    }

    public ModelDesign Design => _design;
    public RobustModelSetup Setup { get; }
    public int N => _n;
    public int P => _p;
    public int Q => _q;
    public int TermCount => _termDim.Length;
    public int TermOffset(int t) => _termOffset[t];
    public int TermDimension(int t) => _termDim[t];
    public int TermLevels(int t) => _design.TermsArray[t].LevelCount;

    /// <summary>θ (lme4's layout).</summary>
    public double[] Theta { get; }

    /// <summary>β.</summary>
    public double[] Beta { get; }

    /// <summary>The spherical random effects b_s (b = Λ b_s; not divided by σ).</summary>
    public double[] Bs { get; }

    /// <summary>σ.</summary>
    public double Sigma { get; set; }

    /// <summary>Λ_b = E[ψ_e'] / D_b per random effect (1 when ρ_b = ρ_e for a scalar term).</summary>
    public double[] LambdaB { get; }

    /// <summary>E[ψ_b(u) u'] (diagonal) per random effect.</summary>
    public double[] E1 { get; }

    /// <summary>E[ψ_b(u) ψ_b(u)'] (diagonal) per random effect.</summary>
    public double[] E2 { get; }

    /// <summary>Element (i, j) of L = M_bb Λ_b (random-effect indices).</summary>
    public double L(int i, int j) => _g[(_p + j) * _m + _p + i] * LambdaB[j];

    /// <summary>
    /// Element (i, j) of K K' = (G C G)_bb, from G alone: C = G⁻¹/E[ψ_e'] − P, so G C G = G/E[ψ_e'] − G_·b G_b·.
    /// </summary>
    public double KKt(int i, int j)
    {
        var gi = _g.AsSpan((_p + i) * _m, _m);
        var gj = _g.AsSpan((_p + j) * _m, _m);
        double s = 0;
        for (int l = _p; l < _m; l++) s += gi[l] * gj[l];
        return gi[_p + j] / Setup.De - s;
    }

    /// <summary>Element (i, j) of G = J⁻¹ (fixed effects first).</summary>
    public double G(int i, int j) => _g[j * _m + i];

    /// <summary>Where term t's parameters start in θ.</summary>
    public int ThetaOffset(int t)
    {
        int off = 0;
        for (int u = 0; u < t; u++) off += _termDim[u] * (_termDim[u] + 1) / 2;
        return off;
    }

    /// <summary>The Λ block of term t (d × d lower triangular, row-major) at the current θ.</summary>
    public double[] LambdaBlock(int t)
    {
        int d = _termDim[t], off = ThetaOffset(t);
        var lam = new double[d * d];
        for (int col = 0; col < d; col++)
            for (int row = col; row < d; row++) lam[row * d + col] = Theta[off++];
        return lam;
    }

    /// <summary>Sets θ and recomputes W = [X ZΛ], G and the per-row diagonals.</summary>
    public void SetTheta(ReadOnlySpan<double> theta)
    {
        theta.CopyTo(Theta);
        FillW();
        if (TermCount == 1) InvertBlockDiagonal(); else InvertDense();
        RowDiagonals();
        TauEValid = false;
    }

    private void FillW()
    {
        var terms = _design.TermsArray;
        var lams = new double[terms.Length][];
        for (int t = 0; t < terms.Length; t++) lams[t] = LambdaBlock(t);
        for (int i = 0; i < _n; i++)
        {
            int at = i * _r + _p;
            for (int t = 0; t < terms.Length; t++)
            {
                int d = _termDim[t];
                var z = terms[t].ZArray;
                var lam = lams[t];
                for (int c = 0; c < d; c++)
                {
                    double s = 0;
                    for (int a = c; a < d; a++) s += z[i * d + a] * lam[a * d + c];
                    _w[at + c] = s;
                }
                at += d;
            }
        }
    }

    /// <summary>G = (W'W + P)⁻¹ / E[ψ_e'] by a dense Cholesky factor (several random-effects terms).</summary>
    private void InvertDense()
    {
        var f = new double[_m * _m];
        for (int i = 0; i < _n; i++)
        {
            int at = i * _r;
            for (int a = 0; a < _r; a++)
            {
                double wa = _w[at + a];
                if (wa == 0) continue;
                int ca = _cols[at + a];
                for (int b = 0; b < _r; b++) f[_cols[at + b] * _m + ca] += wa * _w[at + b];
            }
        }
        for (int j = _p; j < _m; j++) f[j * _m + j] += 1;
        if (!DenseKernels.Cholesky(f, _m, _m))
            throw new ModelException("the fixed-effects model matrix is rank deficient: the robust estimating equations cannot be solved");
        var e = new double[_m];
        double inv = 1 / Setup.De;
        for (int c = 0; c < _m; c++)
        {
            Array.Clear(e);
            e[c] = 1;
            DenseKernels.SolveLower(f, _m, _m, e);
            DenseKernels.SolveLowerTranspose(f, _m, _m, e);
            for (int r = 0; r < _m; r++) _g[c * _m + r] = e[r] * inv;
        }
    }

    /// <summary>
    /// G for a single random-effects term, whose W'W + P has a block-diagonal random-effects part D (one d × d block
    /// per level): with B = W_b'X, U = D⁻¹B and S = X'X − B'U, G·E[ψ_e'] = [S⁻¹, −S⁻¹U'; −US⁻¹, D⁻¹ + US⁻¹U'].
    /// </summary>
    private void InvertBlockDiagonal()
    {
        int d = _termDim[0], levels = TermLevels(0), p = _p;
        var dBlocks = new double[levels * d * d];
        var b = new double[_q * p];      // row j of B (random effect j): B[j, k]
        var xx = new double[p * p];
        for (int i = 0; i < _n; i++)
        {
            int at = i * _r;
            int first = _cols[at + p] - p, level = first / d;
            for (int a = 0; a < p; a++)
                for (int c = 0; c < p; c++) xx[a * p + c] += _w[at + a] * _w[at + c];
            for (int a = 0; a < d; a++)
            {
                double za = _w[at + p + a];
                if (za == 0) continue;
                for (int c = 0; c < d; c++) dBlocks[level * d * d + a * d + c] += za * _w[at + p + c];
                for (int k = 0; k < p; k++) b[(first + a) * p + k] += za * _w[at + k];
            }
        }
        var u = new double[_q * p];
        var dinv = new double[levels * d * d];
        var block = new double[d, d];
        for (int level = 0; level < levels; level++)
        {
            for (int a = 0; a < d; a++)
                for (int c = 0; c < d; c++) block[a, c] = dBlocks[level * d * d + a * d + c] + (a == c ? 1 : 0);
            var inv = SmallMatrix.InverseSpd(block) ?? throw new ModelException("the robust fit's random-effects system is not positive definite");
            for (int a = 0; a < d; a++)
                for (int c = 0; c < d; c++) dinv[level * d * d + a * d + c] = inv[a, c];
            for (int a = 0; a < d; a++)
                for (int k = 0; k < p; k++)
                {
                    double sum = 0;
                    for (int c = 0; c < d; c++) sum += inv[a, c] * b[(level * d + c) * p + k];
                    u[(level * d + a) * p + k] = sum;
                }
        }
        var schur = new double[p, p];
        for (int a = 0; a < p; a++)
            for (int c = 0; c < p; c++)
            {
                double sum = xx[a * p + c];
                for (int j = 0; j < _q; j++) sum -= b[j * p + a] * u[j * p + c];
                schur[a, c] = sum;
            }
        for (int a = 0; a < p; a++) for (int c = 0; c < a; c++) schur[a, c] = schur[c, a] = (schur[a, c] + schur[c, a]) / 2;
        var sinv = p == 0 ? new double[0, 0] : SmallMatrix.InverseSpd(schur)
            ?? throw new ModelException("the fixed-effects model matrix is rank deficient: the robust estimating equations cannot be solved");
        _blockSystem = new BlockSystem(u, sinv, dinv, d, p, _q, LambdaB, E2);
        double scale = 1 / Setup.De;
        var us = new double[_q * p];     // U S⁻¹
        for (int j = 0; j < _q; j++)
            for (int c = 0; c < p; c++)
            {
                double sum = 0;
                for (int k = 0; k < p; k++) sum += u[j * p + k] * sinv[k, c];
                us[j * p + c] = sum;
            }
        for (int a = 0; a < p; a++)
            for (int c = 0; c < p; c++) _g[c * _m + a] = sinv[a, c] * scale;
        for (int j = 0; j < _q; j++)
            for (int c = 0; c < p; c++) _g[c * _m + p + j] = _g[(p + j) * _m + c] = -us[j * p + c] * scale;
        for (int j = 0; j < _q; j++)
        {
            var col = _g.AsSpan((p + j) * _m + p, _q);
            for (int i = 0; i < _q; i++)
            {
                double sum = 0;
                for (int k = 0; k < p; k++) sum += us[i * p + k] * u[j * p + k];
                col[i] = sum * scale;
            }
            int level = j / d, a = j % d;
            for (int c = 0; c < d; c++) col[level * d + c] += dinv[level * d * d + c * d + a] * scale;
        }
    }

    /// <summary>
    /// diag(A) = w_i'Gw_i, diag(AA') = w_i'Gw_i/E[ψ_e'] − |G_b·w_i|² and diag(BE₂B') = Σ_b Λ_b² E₂ (G_b·w_i)² per row.
    /// </summary>
    private void RowDiagonals()
    {
        if (TermCount == 1 && _blockSystem is { } system)
        {
            Parallel.For(0, (_n + 2047) / 2048, new ParallelOptions { MaxDegreeOfParallelism = _n > 2048 ? Environment.ProcessorCount : 1 }, c =>
            {
                var scratch = new double[2 * (system.D + system.P)];
                for (int i = c * 2048; i < Math.Min(_n, (c + 1) * 2048); i++)
                {
                    double a = RowForm(_g, i);
                    _diagA[i] = a;
                    var (ss, hs) = system.RowSums(_w.AsSpan(i * _r, _r), _cols[i * _r + _p] - _p, scratch);
                    double s2 = 1 / (Setup.De * Setup.De);
                    _diagAAt[i] = a / Setup.De - ss * s2;
                    _hq[i] = hs * s2;
                }
            });
            return;
        }
        var scaled = new double[_q];
        for (int b = 0; b < _q; b++) scaled[b] = LambdaB[b] * LambdaB[b] * E2[b];
        const int chunk = 2048;
        int chunks = (_n + chunk - 1) / chunk;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks == 1 ? 1 : Environment.ProcessorCount }, c =>
        {
            var v = new double[_q];
            for (int i = c * chunk; i < Math.Min(_n, (c + 1) * chunk); i++)
            {
                double a = RowForm(_g, i);
                _diagA[i] = a;
                Array.Clear(v);
                int at = i * _r;
                for (int x = 0; x < _r; x++)
                {
                    double wx = _w[at + x];
                    if (wx == 0) continue;
                    DenseKernels.Axpy(wx, _g.AsSpan(_cols[at + x] * _m + _p, _q), v);
                }
                double ss = 0, hs = 0;
                for (int b = 0; b < _q; b++) { ss += v[b] * v[b]; hs += scaled[b] * v[b] * v[b]; }
                _diagAAt[i] = a / Setup.De - ss;
                _hq[i] = hs;
            }
        });
    }

    /// <summary>w_i' M w_i for the sparse row i of W and a symmetric m × m matrix M.</summary>
    private double RowForm(double[] mat, int i)
    {
        int at = i * _r;
        double s = 0;
        for (int a = 0; a < _r; a++)
        {
            double wa = _w[at + a];
            if (wa == 0) continue;
            int ca = _cols[at + a];
            double inner = 0;
            for (int b = 0; b < _r; b++) inner += mat[_cols[at + b] * _m + ca] * _w[at + b];
            s += wa * inner;
        }
        return s;
    }

    /// <summary>
    /// The single-term system's parts, kept for the per-row sums: with z̃ a row's random-effects part and x its fixed
    /// part, G_b·w·E[ψ_e'] = D⁻¹z̃ + U S⁻¹(U'z̃ − x) = e + Uc, so |G_b·w|² and Σ_b Λ_b²E₂ (G_b·w)_b² follow from the
    /// p × p Gram matrices U'U and U'diag(Λ_b²E₂)U in O((d + p)²) per row instead of O(q).
    /// </summary>
    private sealed class BlockSystem
    {
        private readonly double[] _u, _dinv, _utu, _utdu, _scaled;
        private readonly double[,] _sinv;

        public BlockSystem(double[] u, double[,] sinv, double[] dinv, int d, int p, int q, double[] lambdaB, double[] e2)
        {
            _u = u;
            _sinv = sinv;
            _dinv = dinv;
            D = d;
            P = p;
            _scaled = new double[q];
            for (int b = 0; b < q; b++) _scaled[b] = lambdaB[b] * lambdaB[b] * e2[b];
            _utu = new double[p * p];
            _utdu = new double[p * p];
            for (int b = 0; b < q; b++)
                for (int k = 0; k < p; k++)
                    for (int l = 0; l < p; l++)
                    {
                        double v = u[b * p + k] * u[b * p + l];
                        _utu[k * p + l] += v;
                        _utdu[k * p + l] += _scaled[b] * v;
                    }
        }

        public int D { get; }
        public int P { get; }

        /// <summary>(|e + Uc|², Σ_b s_b (e + Uc)_b²) for a row whose random-effects block starts at <paramref name="first"/>.</summary>
        public (double Plain, double Scaled) RowSums(ReadOnlySpan<double> w, int first, Span<double> scratch)
        {
            int d = D, p = P, level = first / d;
            var e = scratch[..d];
            var c = scratch.Slice(d, p);
            var t = scratch.Slice(d + p, p);
            for (int a = 0; a < d; a++)
            {
                double s = 0;
                for (int k = 0; k < d; k++) s += _dinv[level * d * d + a * d + k] * w[p + k];
                e[a] = s;
            }
            for (int k = 0; k < p; k++)
            {
                double s = -w[k];
                for (int a = 0; a < d; a++) s += _u[(first + a) * p + k] * w[p + a];
                t[k] = s;
            }
            for (int k = 0; k < p; k++)
            {
                double s = 0;
                for (int l = 0; l < p; l++) s += _sinv[k, l] * t[l];
                c[k] = s;
            }
            double plain = 0, scaled = 0;
            for (int a = 0; a < d; a++)
            {
                double uc = 0;
                for (int k = 0; k < p; k++) uc += _u[(first + a) * p + k] * c[k];
                plain += e[a] * e[a] + 2 * e[a] * uc;
                scaled += _scaled[first + a] * (e[a] * e[a] + 2 * e[a] * uc);
            }
            for (int k = 0; k < p; k++)
                for (int l = 0; l < p; l++)
                {
                    plain += c[k] * _utu[k * p + l] * c[l];
                    scaled += c[k] * _utdu[k * p + l] * c[l];
                }
            return (plain, scaled);
        }
    }
}

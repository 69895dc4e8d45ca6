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
    private readonly double[] _c, _g, _gcg, _h;   // m × m, column-major
    private readonly double[] _l;          // q × q, column-major: L = G_bb Λ_b
    private readonly double[] _diagA, _diagAAt, _hq;

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
        _c = new double[_m * _m];
        _g = new double[_m * _m];
        _gcg = new double[_m * _m];
        _h = new double[_m * _m];
        _l = new double[q * q];
        _diagA = new double[_n];
        _diagAAt = new double[_n];
        _hq = new double[_n];
        Theta = new double[design.ThetaLength];
        Beta = new double[_p];
        Bs = new double[q];
        LambdaB = new double[q];
        E1 = new double[q];
        E2 = new double[q];
        BlockOf = new int[q];
        for (int t = 0; t < terms.Length; t++)
        {
            var k = setup.Terms[t];
            int d = _termDim[t];
            for (int j = 0; j < terms[t].RandomEffectCount; j++)
            {
                int b = _termOffset[t] + j;
                LambdaB[b] = setup.De / k.Constants.D;
                E1[b] = k.Constants.PsiB;
                E2[b] = k.Constants.PsiPsi;
                BlockOf[b] = j / d;
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

    /// <summary>The level (block within its term) of each random effect.</summary>
    public int[] BlockOf { get; }

    /// <summary>diag(A) at the current θ.</summary>
    public ReadOnlySpan<double> DiagA => _diagA;

    /// <summary>diag(A A') at the current θ.</summary>
    public ReadOnlySpan<double> DiagAAt => _diagAAt;

    /// <summary>diag(B E₂ B') with B = K' Λ_b: the random effects' part of the residuals' linearization variance.</summary>
    public ReadOnlySpan<double> DiagBEB => _hq;

    /// <summary>Element (i, j) of L = M_bb Λ_b (random-effect indices).</summary>
    public double L(int i, int j) => _l[j * _q + i];

    /// <summary>Element (i, j) of K K' = (G C G)_bb.</summary>
    public double KKt(int i, int j) => _gcg[(_p + j) * _m + _p + i];

    /// <summary>Element (i, j) of G = J⁻¹ (fixed effects first).</summary>
    public double G(int i, int j) => _g[j * _m + i];

    /// <summary>The Λ block of term t (d × d lower triangular, row-major) at the current θ.</summary>
    public double[] LambdaBlock(int t)
    {
        int d = _termDim[t], off = 0;
        for (int u = 0; u < t; u++) off += _termDim[u] * (_termDim[u] + 1) / 2;
        var lam = new double[d * d];
        for (int col = 0; col < d; col++)
            for (int row = col; row < d; row++) lam[row * d + col] = Theta[off++];
        return lam;
    }

    /// <summary>True when every variance parameter of term t is 0 (the term is dropped).</summary>
    public bool TermDropped(int t)
    {
        var lam = LambdaBlock(t);
        int d = _termDim[t];
        for (int c = 0; c < d; c++) if (lam[c * d + c] != 0) return false;
        return true;
    }

    /// <summary>Sets θ and recomputes W = [X ZΛ], C = W'W, G, GCG, L and the per-row diagonals.</summary>
    public void SetTheta(ReadOnlySpan<double> theta)
    {
        theta.CopyTo(Theta);
        FillW();
        FillCrossProduct();
        Invert();
        Products();
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

    private void FillCrossProduct()
    {
        Array.Clear(_c);
        for (int i = 0; i < _n; i++)
        {
            int at = i * _r;
            for (int a = 0; a < _r; a++)
            {
                double wa = _w[at + a];
                if (wa == 0) continue;
                int ca = _cols[at + a];
                for (int b = 0; b < _r; b++) _c[_cols[at + b] * _m + ca] += wa * _w[at + b];
            }
        }
    }

    /// <summary>G = (C + P)⁻¹ / E[ψ_e'].</summary>
    private void Invert()
    {
        var f = new double[_m * _m];
        Array.Copy(_c, f, f.Length);
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

    /// <summary>GCG = G C G, H = G_·b diag(Λ_b² E₂) G_b·, L = G_bb Λ_b.</summary>
    private void Products()
    {
        var t = new double[_m * _m];
        var gs = _g.AsSpan();
        var cs = _c.AsSpan();
        for (int j = 0; j < _m; j++)
            for (int k = 0; k < _m; k++) t[j * _m + k] = DenseKernels.Dot(cs.Slice(k * _m, _m), gs.Slice(j * _m, _m));
        var ts = t.AsSpan();
        for (int j = 0; j < _m; j++)
            for (int i = 0; i <= j; i++) _gcg[j * _m + i] = _gcg[i * _m + j] = DenseKernels.Dot(gs.Slice(i * _m, _m), ts.Slice(j * _m, _m));
        // H: column j of G_b· scaled: H_ij = Σ_b G_ib D_b G_jb.
        var scaled = new double[_m * _q];
        for (int b = 0; b < _q; b++)
        {
            double s = LambdaB[b] * LambdaB[b] * E2[b];
            for (int i = 0; i < _m; i++) scaled[b * _m + i] = _g[(_p + b) * _m + i] * s;
        }
        var rowsOfG = new double[_q * _m]; // G_b· stored as rows b: rowsOfG[b*m + j] = G[p+b, j]
        for (int b = 0; b < _q; b++)
            for (int j = 0; j < _m; j++) rowsOfG[b * _m + j] = _g[j * _m + _p + b];
        Array.Clear(_h);
        for (int b = 0; b < _q; b++)
            for (int j = 0; j < _m; j++)
            {
                double gj = rowsOfG[b * _m + j];
                if (gj == 0) continue;
                DenseKernels.Axpy(gj, scaled.AsSpan(b * _m, _m), _h.AsSpan(j * _m, _m));
            }
        for (int j = 0; j < _q; j++)
            for (int i = 0; i < _q; i++) _l[j * _q + i] = _g[(_p + j) * _m + _p + i] * LambdaB[j];
    }

    private void RowDiagonals()
    {
        for (int i = 0; i < _n; i++)
        {
            _diagA[i] = RowForm(_g, i);
            _diagAAt[i] = RowForm(_gcg, i);
            _hq[i] = RowForm(_h, i);
        }
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
}

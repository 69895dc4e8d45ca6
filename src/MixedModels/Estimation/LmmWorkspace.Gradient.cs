using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

public sealed partial class LmmWorkspace
{
    private SelectedInverse? _inverse;
    private double[] _gradU = [], _gradZr = [], _gradBeta = [];
    private double[][] _gradB = [];
    private double[] _gradDense = [], _gradScaled = [];

    /// <summary>
    /// The gradient of the objective (<see cref="Objective"/>'s REML criterion or ML deviance) with respect to θ at
    /// the current θ, analytically: with Ω = Λ'AΛ + I (A = [Z X]'W[Z X]) and Λ linear in θ,
    /// ∂ log|Ω| / ∂θₜ = 2 tr(Ω⁻¹ Λ'A ∂Λ/∂θₜ) needs Ω⁻¹ only where A is stored (the selected inverse of the blocked
    /// factor, Takahashi's recursion), and ∂r²/∂θₜ = −2 r'WZ (∂Λ/∂θₜ) u (β and u are optimal, so their own
    /// derivatives drop out). Ω is L_Z's part for ML and L_Z with X's for REML. Exact at the boundary (a θ of 0 is no
    /// special case). NaN where the objective is not finite.
    /// </summary>
    /// <param name="gradient">Receives ∂objective/∂θ (length <see cref="ThetaLength"/>).</param>
    public void Gradient(Span<double> gradient)
    {
        RequireFactored();
        if (gradient.Length != _theta.Length)
            throw new ArgumentException($"the gradient has {_theta.Length} elements, not {gradient.Length}", nameof(gradient));
        if (_penalty is not null)
            throw new InvalidOperationException("the gradient is that of the REML and ML criteria, whose penalty is the identity");
        if (!(_pwrss > 0) || !double.IsFinite(_logDetZ))
        {
            gradient.Fill(double.NaN);
            return;
        }
        _inverse ??= new SelectedInverse(_l, _levels, _dims, _p);
        _inverse.Compute(Reml);
        ResidualCrossProducts();
        double c = (Reml ? _observations - _p : _observations) / _pwrss;
        int maxD = _dims.Max();
        Span<double> h = stackalloc double[maxD * maxD];
        int off = 0, idx = 0;
        for (int j = 0; j < _k; j++)
        {
            int d = _dims[j], len = _levels[j] * d;
            LogDetCrossProducts(j, h);
            var zr = _gradZr.AsSpan(off, len);
            var u = _gradU.AsSpan(off, len);
            for (int col = 0; col < d; col++)
                for (int row = col; row < d; row++)
                {
                    double kab = 0;
                    for (int lev = 0; lev < _levels[j]; lev++) kab += zr[lev * d + row] * u[lev * d + col];
                    gradient[idx++] = 2 * h[row * d + col] - 2 * c * kab;
                }
            off += len;
        }
    }

    /// <summary>
    /// u, b = Λu and Z'Wr at the current θ (r = y − Xβ − ZΛu), from A's blocks: Z'Wr = Z'Wy − Z'WXβ − Z'WZ b.
    /// </summary>
    private void ResidualCrossProducts()
    {
        int q = _penaltyOffset[_k], w = _p + 1;
        if (_gradU.Length != q)
        {
            _gradU = new double[q];
            _gradZr = new double[q];
            _gradBeta = new double[_p];
            _gradB = _levels.Select((l, j) => new double[l * _dims[j]]).ToArray();
        }
        FactorBeta(_gradBeta);
        FactorModes(_gradBeta, _gradU);
        ConditionalModes(_gradU, _gradB);
        for (int j = 0; j < _k; j++)
        {
            int len = _levels[j] * _dims[j];
            var zr = _gradZr.AsSpan(_penaltyOffset[j], len);
            var axy = ((DenseBlock)_a[_k][j]).Data;
            for (int col = 0; col < len; col++)
            {
                double v = axy[col * w + _p];
                for (int i = 0; i < _p; i++) v -= axy[col * w + i] * _gradBeta[i];
                zr[col] = v;
            }
            BlockVectorOps.MultiplySubtract(_a[j][j], _gradB[j], zr);
        }
        for (int j = 0; j < _k; j++)
            for (int i = j + 1; i < _k; i++)
            {
                BlockVectorOps.MultiplySubtract(_a[i][j], _gradB[j], _gradZr.AsSpan(_penaltyOffset[i], _levels[i] * _dims[i]));
                BlockVectorOps.TransposeMultiplySubtract(_a[i][j], _gradB[i], _gradZr.AsSpan(_penaltyOffset[j], _levels[j] * _dims[j]));
            }
    }

    /// <summary>
    /// H (d × d, row-major) with H[a, b] = Σ over the blocks i of column block j and levels c of
    /// (Λᵢ'A_ij)[·, c·d + a] · G_ij[·, c·d + b]: ∂ log|Ω| / ∂θₜ = 2 H[row, col] of θₜ's place in T_j.
    /// </summary>
    private void LogDetCrossProducts(int j, Span<double> h)
    {
        var inv = _inverse!;
        int d = _dims[j], w = _p + 1;
        h[..(d * d)].Clear();
        var tj = _t[j];
        // i = j: per level, (T'A_c)' G_c with A_c and G_c the level's d × d diagonal blocks.
        var ajj = (BlockDiagonalBlock)_a[j][j];
        var gjj = inv.G(j, j);
        for (int lev = 0; lev < _levels[j]; lev++)
        {
            var ac = ajj.Sub(lev);
            for (int a = 0; a < d; a++)
                for (int row = 0; row < d; row++)
                {
                    double ta = 0;
                    for (int s = row; s < d; s++) ta += tj[row * d + s] * ac[a * d + s];
                    if (ta == 0) continue;
                    for (int b = 0; b < d; b++) h[a * d + b] += ta * DiagonalEntry(gjj, lev, d, row, b);
                }
        }
        // The other terms i, those below j first (A_ij's sub-blocks, rows of term i, against G_ij's at the same
        // places), then those above (A_ji's, rows of term j, transposed against G_ji's).
        for (int step = 1; step < _k; step++)
        {
            int i = (j + step) % _k;
            bool below = i > j;
            var a = (SparseBlock)(below ? _a[i][j] : _a[j][i]);
            var g = below ? inv.G(i, j) : inv.G(j, i);
            if (g is DenseBlock dense)
            {
                if (below) DenseBelow(a, dense, _t[i], h);
                else DenseAbove(a, dense, _t[i], h);
            }
            else SparseAgainstG(a, g, below ? _scatter[i][j] : _scatter[j][i], _t[i], _dims[i], d, transposed: !below, h);
        }
        if (!Reml) return;
        // X rows: A_Xj against G_Xj.
        var axj = ((DenseBlock)_a[_k][j]).Data;
        var gxj = ((DenseBlock)inv.G(_k, j)).Data;
        for (int lev = 0; lev < _levels[j]; lev++)
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++)
                {
                    double s = 0;
                    for (int row = 0; row < _p; row++) s += axj[(lev * d + a) * w + row] * gxj[(lev * d + b) * _p + row];
                    h[a * d + b] += s;
                }
    }

    /// <summary>
    /// H's part from the stored sub-blocks of a sparse A block between term j (d columns of H) and another term i
    /// (di rows, factor ti), against G's block at the same places: A_ij and G_ij (rows of term i) or, transposed,
    /// A_ji and G_ji (rows of term j). h[a, b] += Σ_row (T_i'A)[row, a] · G[row, b].
    /// </summary>
    private static void SparseAgainstG(SparseBlock a, Block g, int[]? map, double[] ti, int di, int d, bool transposed, Span<double> h)
    {
        // Strides of a sub-block's (a, s) entry and of G's (row, b) entry in either orientation.
        int subA = transposed ? 1 : di, subS = transposed ? d : 1;
        for (int col = 0; col < a.ColLevels; col++)
            for (int e = a.ColStart[col]; e < a.ColStart[col + 1]; e++)
            {
                var sub = a.Sub(e);
                var gs = transposed
                    ? GradientSubBlock(g, map, e, a.RowLevel[e], col, d, di, out int go, out int stride)
                    : GradientSubBlock(g, map, e, a.RowLevel[e], col, di, d, out go, out stride);
                int gRow = transposed ? stride : 1, gB = transposed ? 1 : stride;
                for (int c = 0; c < d; c++)
                    for (int row = 0; row < di; row++)
                    {
                        double ta = 0;
                        for (int s = row; s < di; s++) ta += ti[row * di + s] * sub[c * subA + s * subS];
                        if (ta == 0) continue;
                        int at = go + row * gRow;
                        for (int b = 0; b < d; b++) h[c * d + b] += ta * gs[at + b * gB];
                    }
            }
    }

    /// <summary>A sparse block of A written densely (zeros where it stores nothing) into the gradient's buffer.</summary>
    private Span<double> DenseCopy(SparseBlock a)
    {
        int rows = a.Rows, size = rows * a.Cols;
        if (_gradDense.Length < size) { _gradDense = new double[size]; _gradScaled = new double[size]; }
        var dst = _gradDense.AsSpan(0, size);
        dst.Clear();
        int ri = a.RowDim, cj = a.ColDim;
        for (int col = 0; col < a.ColLevels; col++)
            for (int e = a.ColStart[col]; e < a.ColStart[col + 1]; e++)
            {
                var sub = a.Sub(e);
                int r0 = a.RowLevel[e] * ri;
                for (int c = 0; c < cj; c++) sub.Slice(c * ri, ri).CopyTo(dst.Slice((col * cj + c) * rows + r0, ri));
            }
        return dst;
    }

    /// <summary>
    /// H += the i > j part when G_ij is dense: with G̃ = (I ⊗ Tᵢ) G_ij (Tᵢ applied within each row level), H[a, b] =
    /// Σ_c A_ij[·, c·d + a] · G̃[·, c·d + b], whole columns at a time.
    /// </summary>
    private void DenseBelow(SparseBlock aij, DenseBlock g, double[] ti, Span<double> h)
    {
        var a = DenseCopy(aij);
        int rows = aij.Rows, cols = aij.Cols, di = aij.RowDim, d = aij.ColDim;
        var tg = _gradScaled.AsSpan(0, rows * cols);
        var gd = g.Data;
        for (int col = 0; col < cols; col++)
            for (int r0 = 0; r0 < rows; r0 += di)
                for (int s = 0; s < di; s++)
                {
                    double v = 0;
                    for (int row = 0; row <= s; row++) v += ti[row * di + s] * gd[col * rows + r0 + row];
                    tg[col * rows + r0 + s] = v;
                }
        for (int c = 0; c < aij.ColLevels; c++)
            for (int x = 0; x < d; x++)
                for (int y = 0; y < d; y++)
                    h[x * d + y] += DenseKernels.Dot(a.Slice((c * d + x) * rows, rows), tg.Slice((c * d + y) * rows, rows));
    }

    /// <summary>
    /// H += the i &lt; j part when G_ji is dense (rows of term j): with Â = A_ji (I ⊗ Tᵢ), H[a, b] =
    /// Σ over columns x and levels r of Â[r·d + a, x] G_ji[r·d + b, x].
    /// </summary>
    private void DenseAbove(SparseBlock aji, DenseBlock g, double[] ti, Span<double> h)
    {
        var a = DenseCopy(aji);
        int rows = aji.Rows, cols = aji.Cols, d = aji.RowDim;
        TimesFactorInPlace(_gradDense, rows, aji.ColLevels, ti, aji.ColDim); // Â = A_ji (I ⊗ Tᵢ)
        var gd = g.Data;
        for (int x = 0; x < cols; x++)
        {
            var ax = a.Slice(x * rows, rows);
            var gx = gd.AsSpan(x * rows, rows);
            for (int r = 0; r < rows; r += d)
                for (int y = 0; y < d; y++)
                {
                    double av = ax[r + y];
                    if (av == 0) continue;
                    for (int z = 0; z < d; z++) h[y * d + z] += av * gx[r + z];
                }
        }
    }

    /// <summary>G's sub-block at A's entry e (levels rowLevel, colLevel): G is dense, or sparse with L's pattern (the scatter map).</summary>
    private static double[] GradientSubBlock(Block g, int[]? map, int e, int rowLevel, int colLevel, int rowDim, int colDim, out int offset, out int stride)
    {
        if (g is SparseBlock s)
        {
            stride = rowDim;
            offset = map![e] * s.SubSize;
            return s.Values;
        }
        return SelectedInverse.SubBlock((DenseBlock)g, 0, 0, rowLevel, colLevel, rowDim, colDim, out offset, out stride)!;
    }

    private static double DiagonalEntry(Block g, int level, int d, int row, int col) => g switch
    {
        BlockDiagonalBlock bd => bd.Sub(level)[col * d + row],
        DenseBlock db => db.Data[(level * d + col) * db.Rows + level * d + row],
        _ => throw new InvalidOperationException("a diagonal block of G is block-diagonal or dense"),
    };
}

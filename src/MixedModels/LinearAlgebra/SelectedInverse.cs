using System.Runtime.CompilerServices;

namespace MixedModels.LinearAlgebra;

/// <summary>
/// The entries of G = (L L')⁻¹ on the block pattern of the blocked factor L (Takahashi's recursion), without the rest
/// of the inverse: G L = L⁻ᵀ gives, block column by block column from the last, G_RC = −G_RR B W and
/// G_CC = W'W − G_RC' B W for the columns C of a level (or of a dense diagonal block), the rows R below them in the
/// pattern, B = L_RC and W = L_CC⁻¹. The elimination's fill makes every entry of G_RR that is needed one that was
/// computed before. Blocks 0..k−1 are the random-effects terms, block k the X rows of L's last block row (its y row
/// is left out), included or not per call: the inverse of L_Z L_Z' alone, or of the whole [Z X] part.
/// </summary>
internal sealed class SelectedInverse
{
    private readonly Block[][] _l, _g;
    private readonly int _k, _p;
    private readonly int[] _levels, _dims;
    private readonly List<(int Block, int Level, int Row)> _rows = [];
    private readonly List<int> _entries = [];
    private double[] _gg = [], _b = [], _bw = [], _grc = [], _w = [], _pack = [], _t = [];

    /// <param name="l">L's blocks: k random-effects block rows and a last block row of p + 1 rows [X y].</param>
    /// <param name="levels">The levels of each term.</param>
    /// <param name="dims">The dimension of each term.</param>
    /// <param name="p">The number of X columns.</param>
    public SelectedInverse(Block[][] l, int[] levels, int[] dims, int p)
    {
        _l = l;
        _k = l.Length - 1;
        _p = p;
        _levels = [.. levels, 1];
        _dims = [.. dims, p];
        _g = new Block[_k + 1][];
        for (int i = 0; i < _k; i++)
        {
            _g[i] = new Block[i + 1];
            for (int j = 0; j <= i; j++) _g[i][j] = l[i][j].CloneEmpty();
        }
        _g[_k] = new Block[_k + 1];
        for (int j = 0; j < _k; j++) _g[_k][j] = new DenseBlock(p, levels[j] * dims[j]);
        _g[_k][_k] = new DenseBlock(p, p);
    }

    /// <summary>Block (i, j), i ≥ j, of G (the X block row has p rows).</summary>
    public Block G(int i, int j) => _g[i][j];

    /// <summary>Computes G on L's pattern, for the random-effects blocks and, when <paramref name="includeX"/>, X's.</summary>
    public void Compute(bool includeX)
    {
        int last = includeX ? _k : _k - 1;
        for (int j = last; j >= 0; j--)
        {
            if (_l[j][j] is DenseBlock || j == _k)
            {
                Supernode(j, last, -1);
                continue;
            }
            bool allDense = true;
            for (int i = j + 1; i <= last; i++) allDense &= _l[i][j] is DenseBlock;
            if (allDense) Supernode(j, last, -1);
            else
                for (int c = 0; c < _levels[j]; c++) Supernode(j, last, c);
        }
    }

    /// <summary>
    /// One group of columns of block column j sharing the rows below them: a single level c of a block-diagonal L_jj,
    /// or (c = −1) all its columns — when L_jj is dense, or every block below it is.
    /// </summary>
    private void Supernode(int j, int last, int c)
    {
        int dj = _dims[j];
        int first = c < 0 ? 0 : c, count = c < 0 ? _levels[j] : 1;
        bool denseDiagonal = _l[j][j] is DenseBlock || j == _k;
        int width = count * dj;
        // The rows below: (block, level) pairs; all levels of dense blocks, the stored ones of a sparse block's column.
        _rows.Clear();
        _entries.Clear();
        int nr = 0;
        for (int i = j + 1; i <= last; i++)
        {
            if (_l[i][j] is SparseBlock s)
                for (int e = s.ColStart[c]; e < s.ColStart[c + 1]; e++)
                {
                    _rows.Add((i, s.RowLevel[e], nr));
                    _entries.Add(e);
                    nr += _dims[i];
                }
            else
                for (int lev = 0; lev < _levels[i]; lev++)
                {
                    _rows.Add((i, lev, nr));
                    _entries.Add(-1);
                    nr += _dims[i];
                }
        }
        Ensure(ref _gg, nr * nr);
        Ensure(ref _b, nr * width);
        Ensure(ref _bw, nr * width);
        Ensure(ref _grc, nr * width);
        int wSize = denseDiagonal ? width * width : dj * dj;
        Ensure(ref _w, 2 * wSize);
        var gg = _gg.AsSpan(0, nr * nr);
        GatherG(gg, nr);
        var b = _b.AsSpan(0, nr * width);
        Transfer(_l, j, first, count, b, nr, intoBlocks: false);
        var bw = _bw.AsSpan(0, nr * width);
        var grc = _grc.AsSpan(0, nr * width);
        // W = L_CC⁻¹ per diagonal sub-block (one, when L_jj is dense); B W column block by column block.
        int sub = denseDiagonal ? width : dj;
        int subs = width / sub;
        var w = _w.AsSpan(0, sub * sub);
        var wtw = _w.AsSpan(sub * sub, sub * sub);
        bw.Clear();
        for (int s = 0; s < subs; s++)
        {
            var lcc = DiagonalFactor(j, first + s, denseDiagonal, out int ld);
            DenseCholesky.InvertLower(lcc, ld, sub, w);
            for (int t = 0; t < sub; t++)
            {
                var dst = bw.Slice((s * sub + t) * nr, nr);
                for (int r = t; r < sub; r++)
                {
                    double wrt = w[t * sub + r];
                    if (wrt != 0) DenseKernels.Axpy(wrt, b.Slice((s * sub + r) * nr, nr), dst);
                }
            }
            // G_CC = W'W − G_RC' B W needs G_RC: computed below for all sub-blocks at once; W'W kept per sub-block.
            WtW(w, sub, wtw);
            StoreDiagonal(j, first + s, denseDiagonal, wtw, sub);
        }
        // G_RC = −G_RR (B W)
        grc.Clear();
        if (nr > 0)
        {
            if (SyrkKernel.Supported)
            {
                Ensure(ref _pack, GemmKernel.ScratchSize(nr, width, nr));
                GemmKernel.NtSubtract(grc, nr, nr, width, gg, nr, bw, nr, nr, _pack, bRowMajor: true);
            }
            else MultiplySubtract(grc, nr, width, gg, bw);
        }
        for (int s = 0; s < subs; s++)
            SubtractDiagonal(j, first + s, denseDiagonal, grc.Slice(s * sub * nr, sub * nr), bw.Slice(s * sub * nr, sub * nr), nr, sub);
        Transfer(_g, j, first, count, grc, nr, intoBlocks: true);
    }

    private static void Ensure(ref double[] a, int size)
    {
        if (a.Length < size) a = new double[size];
    }

    /// <summary>The factor of a diagonal sub-block (level <paramref name="level"/> of a block-diagonal L_jj, or the dense L_jj) and its leading dimension.</summary>
    private ReadOnlySpan<double> DiagonalFactor(int j, int level, bool dense, out int ld)
    {
        if (j == _k) { ld = _p + 1; return ((DenseBlock)_l[_k][_k]).Data; }
        if (dense) { var d = (DenseBlock)_l[j][j]; ld = d.Rows; return d.Data; }
        ld = _dims[j];
        return ((BlockDiagonalBlock)_l[j][j]).Sub(level);
    }

    /// <summary>C (m × n) −= A B, A m × m, B m × n, all column-major with leading dimension m.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplySubtract(Span<double> c, int m, int n, ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        for (int t = 0; t < n; t++)
        {
            var ct = c.Slice(t * m, m);
            for (int s = 0; s < m; s++)
            {
                double bst = b[t * m + s];
                if (bst != 0) DenseKernels.Axpy(-bst, a.Slice(s * m, m), ct);
            }
        }
    }

    /// <summary>From this order on, G_CC's correction is taken column by column (axpy) rather than entry by entry (dot).</summary>
    private const int KernelOrder = 32;

    /// <summary>M = W'W for lower triangular W (n × n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WtW(ReadOnlySpan<double> w, int n, Span<double> m)
    {
        for (int a = 0; a < n; a++)
            for (int b = 0; b <= a; b++)
            {
                // rows ≥ a are where both columns can be nonzero
                double s = DenseKernels.Dot(w.Slice(a * n + a, n - a), w.Slice(b * n + a, n - a));
                m[b * n + a] = s;
                m[a * n + b] = s;
            }
    }

    /// <summary>G's diagonal sub-block (n × n) of a level of a block-diagonal G_jj, or the whole dense G_jj.</summary>
    private Span<double> DiagonalOfG(int j, int level, bool dense, int n) =>
        j == _k || dense ? ((DenseBlock)_g[j][j]).Data.AsSpan(0, n * n) : ((BlockDiagonalBlock)_g[j][j]).Sub(level);

    private void StoreDiagonal(int j, int level, bool dense, ReadOnlySpan<double> m, int n) => m[..(n * n)].CopyTo(DiagonalOfG(j, level, dense, n));

    /// <summary>G_CC −= G_RC' (B W) for one diagonal sub-block.</summary>
    private void SubtractDiagonal(int j, int level, bool dense, ReadOnlySpan<double> grc, ReadOnlySpan<double> bw, int nr, int n)
    {
        if (nr == 0) return;
        var target = DiagonalOfG(j, level, dense, n);
        if (n < KernelOrder)
        {
            for (int a = 0; a < n; a++)
                for (int b = 0; b < n; b++) target[b * n + a] -= DenseKernels.Dot(grc.Slice(a * nr, nr), bw.Slice(b * nr, nr));
            return;
        }
        // Column b of the correction is Σ_r BW[r, b] · (row r of G_RC): G_RC's rows made contiguous first.
        Ensure(ref _t, nr * n);
        var rowsOf = _t.AsSpan(0, nr * n);
        for (int a = 0; a < n; a++)
            for (int r = 0; r < nr; r++) rowsOf[r * n + a] = grc[a * nr + r];
        for (int b = 0; b < n; b++)
        {
            var col = target.Slice(b * n, n);
            for (int r = 0; r < nr; r++)
            {
                double v = bw[b * nr + r];
                if (v != 0) DenseKernels.Axpy(-v, rowsOf.Slice(r * n, n), col);
            }
        }
    }

    /// <summary>G_RR (nr × nr, column-major) from the stored blocks of G (their transposes above the diagonal).</summary>
    private void GatherG(Span<double> gg, int nr)
    {
        for (int y = 0; y < _rows.Count; y++)
        {
            var (bm, lm, rm) = _rows[y];
            int dm = _dims[bm];
            for (int x = 0; x < _rows.Count; x++)
            {
                var (ba, la, ra) = _rows[x];
                int da = _dims[ba];
                bool lower = ba >= bm;
                var data = lower ? SubBlock(_g[ba][bm], ba, bm, la, lm, out int offset, out int stride)
                    : SubBlock(_g[bm][ba], bm, ba, lm, la, out offset, out stride);
                for (int cc = 0; cc < dm; cc++)
                {
                    var dst = gg.Slice((rm + cc) * nr + ra, da);
                    if (data is null) dst.Clear();
                    else if (lower) data.AsSpan(offset + cc * stride, da).CopyTo(dst);
                    else
                        for (int rr = 0; rr < da; rr++) dst[rr] = data[offset + rr * stride + cc];
                }
            }
        }
    }

    /// <summary>
    /// Where the sub-block of levels (rowLevel, colLevel) of a block lies: element (r, c) is at
    /// data[offset + c·stride + r]; null when the block stores no such sub-block (a structural zero).
    /// </summary>
    internal static double[]? SubBlock(Block b, int bi, int bj, int rowLevel, int colLevel, int rowDim, int colDim, out int offset, out int stride)
    {
        switch (b)
        {
            case DenseBlock d:
                stride = d.Rows;
                offset = colLevel * colDim * d.Rows + rowLevel * rowDim;
                return d.Data;
            case BlockDiagonalBlock bd:
                stride = bd.Size;
                offset = rowLevel * bd.Size * bd.Size;
                return rowLevel == colLevel ? bd.Data : null;
            case SparseBlock s:
                stride = s.RowDim;
                int e = s.Find(colLevel, rowLevel);
                offset = e * s.SubSize;
                return e < 0 ? null : s.Values;
            default:
                throw new InvalidOperationException($"block ({bi}, {bj})");
        }
    }

    private double[]? SubBlock(Block b, int bi, int bj, int rowLevel, int colLevel, out int offset, out int stride) =>
        SubBlock(b, bi, bj, rowLevel, colLevel, _dims[bi], _dims[bj], out offset, out stride);

    /// <summary>
    /// Copies the rows below the supernode's columns between the blocks (L's or G's) and a packed nr × width column-major
    /// buffer: out of the blocks (B = L_RC) or, with <paramref name="intoBlocks"/>, into them (G_RC).
    /// </summary>
    private void Transfer(Block[][] blocks, int j, int first, int count, Span<double> packed, int nr, bool intoBlocks)
    {
        int dj = _dims[j];
        for (int x = 0; x < _rows.Count; x++)
        {
            var (bi, li, ri) = _rows[x];
            int di = _dims[bi];
            var block = blocks[bi][j];
            for (int lev = first; lev < first + count; lev++)
                for (int cc = 0; cc < dj; cc++)
                {
                    int col = lev * dj + cc, bcol = (lev - first) * dj + cc;
                    Span<double> stored = block is SparseBlock s
                        ? s.Sub(_entries[x]).Slice(cc * di, di)
                        : ((DenseBlock)block).Data.AsSpan(col * block.Rows + li * di, di);
                    var here = packed.Slice(bcol * nr + ri, di);
                    if (intoBlocks) here.CopyTo(stored);
                    else stored.CopyTo(here);
                }
        }
    }
}

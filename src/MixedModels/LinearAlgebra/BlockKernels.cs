using System.Runtime.CompilerServices;
namespace MixedModels.LinearAlgebra;

/// <summary>
/// The operations of the blocked Cholesky factorization, one specialized kernel per pair of block types:
/// <c>C -= A A'</c> (rank update), Cholesky of a diagonal block, <c>C -= A B'</c>, and <c>C ← C L^{-T}</c>.
/// None allocates.
/// </summary>
internal static class BlockKernels
{
    /// <summary>c (ra × rb, leading dimension ldc) -= s t', s is ra × k, t is rb × k (both column-major, dense).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SubMulNt(Span<double> c, int ldc, ReadOnlySpan<double> s, int ra, ReadOnlySpan<double> t, int rb, int k)
    {
        if (ra == 1 && rb == 1 && k == 1) { c[0] -= s[0] * t[0]; return; }
        for (int p = 0; p < k; p++)
            for (int b = 0; b < rb; b++)
            {
                double tb = t[p * rb + b];
                if (tb == 0) continue;
                var cb = c.Slice(b * ldc, ra);
                var sp = s.Slice(p * ra, ra);
                for (int a = 0; a < ra; a++) cb[a] -= sp[a] * tb;
            }
    }

    /// <summary>The scratch <see cref="RankUpdate"/> needs for C -= A A' (the packing of a dense A).</summary>
    public static int RankUpdateScratchSize(Block c, Block a) =>
        c is DenseBlock && a is DenseBlock da && SyrkKernel.Supported ? SyrkKernel.ScratchSize(da.Rows, da.Cols) : 0;

    /// <summary>C -= A A' (lower triangle of C).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RankUpdate(Block c, Block a, Span<double> scratch)
    {
        switch (c, a)
        {
            case (BlockDiagonalBlock { Size: 1 } cd, SparseBlock { ColDim: 1 } sa):
            {
                var values = sa.Values;
                var rows = sa.RowLevel;
                var data = cd.Data;
                for (int e = 0; e < values.Length; e++) data[rows[e]] -= values[e] * values[e];
                return;
            }
            case (BlockDiagonalBlock cd, SparseBlock sa):
            {
                int d = cd.Size, k = sa.ColDim;
                for (int col = 0; col < sa.ColLevels; col++)
                    for (int e = sa.ColStart[col]; e < sa.ColStart[col + 1]; e++)
                    {
                        var s = sa.Sub(e);
                        SubMulNt(cd.Sub(sa.RowLevel[e]), d, s, d, s, d, k);
                    }
                return;
            }
            case (DenseBlock cd, SparseBlock { RowDim: 1, ColDim: 1 } sa):
                RankUpdateScalar(cd, sa);
                return;
            case (DenseBlock cd, SparseBlock sa):
            {
                int d = sa.RowDim, k = sa.ColDim, ld = cd.Rows;
                var data = cd.Data.AsSpan();
                for (int col = 0; col < sa.ColLevels; col++)
                {
                    int start = sa.ColStart[col], end = sa.ColStart[col + 1];
                    for (int e1 = start; e1 < end; e1++)
                    {
                        int r1 = sa.RowLevel[e1];
                        var s1 = sa.Sub(e1);
                        for (int e2 = e1; e2 < end; e2++)
                        {
                            int r2 = sa.RowLevel[e2];
                            SubMulNt(data[(r1 * d * ld + r2 * d)..], ld, sa.Sub(e2), d, s1, d, k);
                        }
                    }
                }
                return;
            }
            case (DenseBlock cd, DenseBlock da):
                if (SyrkKernel.Supported && cd.Rows >= 16) SyrkKernel.LowerSubtract(cd.Data, cd.Rows, cd.Rows, da.Data, da.Rows, da.Cols, scratch);
                else DenseKernels.SyrkLowerSubtract(cd.Data, cd.Rows, cd.Rows, da.Data, da.Rows, da.Cols);
                return;
            default:
                throw new InvalidOperationException($"no rank update for {c.GetType().Name} -= {a.GetType().Name}");
        }
    }

    /// <summary>
    /// C -= A A' for a scalar-term sparse A into a dense C, target column by target column: column j of C receives,
    /// from every column of A with an entry in row j, that entry times the column's entries from row j on. Each column
    /// of C stays in cache while it is updated. Large updates are split between two threads at the row that halves
    /// the work, so they never write the same element.
    /// </summary>
    private static unsafe void RankUpdateScalar(DenseBlock c, SparseBlock a)
    {
        var index = a.Rows_!;
        fixed (double* pc = c.Data, pv = a.Values)
        fixed (int* rows = a.RowLevel, colStart = a.ColStart, start = index.Start, entries = index.Entries, column = index.Column)
        {
            var args = new ScalarUpdate(pc, c.Rows, pv, rows, colStart, start, entries, column);
            if (c.Rows >= SyrkKernel.ParallelThreshold && a.NonZeroBlocks >= 4096 && HelperThread.Available)
            {
                var job = RankJob.Value!;
                job.Set(args, index.Split, a.RowLevels);
                HelperThread.Instance.Run(job);
                return;
            }
            RankUpdateScalarRows(args, 0, a.RowLevels);
        }
    }

    /// <summary>The pointers a scalar rank update works with.</summary>
    private readonly unsafe struct ScalarUpdate(double* c, long ld, double* values, int* rows, int* colStart, int* rowStart, int* entries, int* column)
    {
        public readonly double* C = c, Values = values;
        public readonly long Ld = ld;
        public readonly int* Rows = rows, ColStart = colStart, RowStart = rowStart, Entries = entries, Column = column;
    }

    /// <summary>Target columns [lo, hi) of the scalar rank update.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RankUpdateScalarRows(ScalarUpdate u, int lo, int hi)
    {
        for (int j = lo; j < hi; j++)
        {
            double* target = u.C + j * u.Ld;
            for (int k = u.RowStart[j]; k < u.RowStart[j + 1]; k++)
            {
                int e1 = u.Entries[k], end = u.ColStart[u.Column[k] + 1];
                double v1 = u.Values[e1];
                for (int e2 = e1; e2 < end; e2++) target[u.Rows[e2]] -= u.Values[e2] * v1;
            }
        }
    }

    private static readonly ThreadLocal<RankUpdateJob> RankJob = new(() => new RankUpdateJob());

    private sealed unsafe class RankUpdateJob : ISplitJob
    {
        private ScalarUpdate _u;
        private int _split, _rows;

        public void Set(ScalarUpdate u, int split, int rows) { _u = u; _split = split; _rows = rows; }

        public void Execute(int part)
        {
            if (part == 0) RankUpdateScalarRows(_u, 0, _split);
            else RankUpdateScalarRows(_u, _split, _rows);
        }
    }

    /// <summary>C -= A B' for dense C and A and a scalar-term sparse B: column j of C loses b_jc times column c of A.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplySubtractScalar(DenseBlock c, DenseBlock a, SparseBlock b)
    {
        int m = c.Rows;
        fixed (double* pc = c.Data, pa = a.Data, pv = b.Values)
        fixed (int* rows = b.RowLevel, start = b.ColStart)
        {
            if (m == 1)
            {
                // The y row of a model without X (a GLMM's system for u): one product per stored entry.
                for (int col = 0; col < b.ColLevels; col++)
                {
                    double ac = pa[col];
                    for (int e = start[col]; e < start[col + 1]; e++) pc[rows[e]] -= pv[e] * ac;
                }
                return;
            }
            for (int col = 0; col < b.ColLevels; col++)
            {
                double* aCol = pa + (long)col * m;
                for (int e = start[col]; e < start[col + 1]; e++)
                {
                    double v = pv[e];
                    double* cCol = pc + (long)rows[e] * m;
                    for (int i = 0; i < m; i++) cCol[i] -= v * aCol[i];
                }
            }
        }
    }

    /// <summary>Replaces a diagonal block by its lower Cholesky factor; false if it is not positive definite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Cholesky(Block c, Span<double> scratch)
    {
        switch (c)
        {
            case BlockDiagonalBlock bd when bd.Size == 1:
            {
                var v = bd.Data;
                for (int i = 0; i < v.Length; i++)
                {
                    if (!(v[i] > 0)) return false;
                    v[i] = Math.Sqrt(v[i]);
                }
                return true;
            }
            case BlockDiagonalBlock bd when bd.Size == 2:
            {
                // 2 × 2 blocks (intercept and slope) in closed form, the same operations as CholeskyUnblocked.
                var v = bd.Data;
                for (int o = 0; o + 3 < v.Length; o += 4)
                {
                    double d0 = v[o];
                    if (!(d0 > 0)) return false;
                    d0 = Math.Sqrt(d0);
                    double l10 = v[o + 1] * (1 / d0);
                    double d1 = v[o + 3] + -l10 * l10;
                    if (!(d1 > 0)) return false;
                    v[o] = d0;
                    v[o + 1] = l10;
                    v[o + 3] = Math.Sqrt(d1);
                }
                return true;
            }
            case BlockDiagonalBlock bd:
                for (int l = 0; l < bd.Count; l++)
                    if (!DenseKernels.CholeskyUnblocked(bd.Sub(l), bd.Size, bd.Size)) return false;
                return true;
            case DenseBlock d:
                return DenseKernels.Cholesky(d.Data, d.Rows, d.Rows, scratch);
            default:
                throw new InvalidOperationException($"no Cholesky for {c.GetType().Name}");
        }
    }

    /// <summary>C -= A B' where A and B share their column structure.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplySubtract(Block c, Block a, Block b)
    {
        switch (c, a, b)
        {
            case (SparseBlock { SubSize: 1 } sc, SparseBlock { SubSize: 1 } sa, SparseBlock { SubSize: 1 } sb):
            {
                // Scalar terms: the target of each product is found once and kept with C.
                var targets = sc.ProductTargets(sa, sb);
                var cv = sc.Values;
                var av = sa.Values;
                var bv = sb.Values;
                int t = 0;
                for (int col = 0; col < sa.ColLevels; col++)
                {
                    int bStart = sb.ColStart[col], bEnd = sb.ColStart[col + 1];
                    for (int ea = sa.ColStart[col]; ea < sa.ColStart[col + 1]; ea++)
                    {
                        double x = av[ea];
                        for (int eb = bStart; eb < bEnd; eb++) cv[targets[t++]] -= x * bv[eb];
                    }
                }
                return;
            }
            case (SparseBlock sc, SparseBlock sa, SparseBlock sb):
            {
                int di = sa.RowDim, dj = sb.RowDim, k = sa.ColDim;
                for (int col = 0; col < sa.ColLevels; col++)
                    for (int ea = sa.ColStart[col]; ea < sa.ColStart[col + 1]; ea++)
                    {
                        int ri = sa.RowLevel[ea];
                        for (int eb = sb.ColStart[col]; eb < sb.ColStart[col + 1]; eb++)
                        {
                            int target = sc.Find(sb.RowLevel[eb], ri);
                            SubMulNt(sc.Sub(target), di, sa.Sub(ea), di, sb.Sub(eb), dj, k);
                        }
                    }
                return;
            }
            case (DenseBlock dc, SparseBlock sa, SparseBlock sb):
            {
                int di = sa.RowDim, dj = sb.RowDim, k = sa.ColDim, ld = dc.Rows;
                var data = dc.Data.AsSpan();
                for (int col = 0; col < sa.ColLevels; col++)
                    for (int ea = sa.ColStart[col]; ea < sa.ColStart[col + 1]; ea++)
                    {
                        int ri = sa.RowLevel[ea];
                        for (int eb = sb.ColStart[col]; eb < sb.ColStart[col + 1]; eb++)
                            SubMulNt(data[(sb.RowLevel[eb] * dj * ld + ri * di)..], ld, sa.Sub(ea), di, sb.Sub(eb), dj, k);
                    }
                return;
            }
            case (DenseBlock dc, DenseBlock da, SparseBlock { RowDim: 1, ColDim: 1 } sb):
                MultiplySubtractScalar(dc, da, sb);
                return;
            case (DenseBlock dc, DenseBlock da, SparseBlock sb):
            {
                int dj = sb.RowDim, k = sb.ColDim;
                for (int col = 0; col < sb.ColLevels; col++)
                    for (int eb = sb.ColStart[col]; eb < sb.ColStart[col + 1]; eb++)
                    {
                        var s = sb.Sub(eb);
                        int rj = sb.RowLevel[eb];
                        for (int p = 0; p < k; p++)
                        {
                            var aCol = da.Column(col * k + p);
                            for (int bb = 0; bb < dj; bb++)
                            {
                                double v = s[p * dj + bb];
                                if (v != 0) DenseKernels.Axpy(-v, aCol, dc.Column(rj * dj + bb));
                            }
                        }
                    }
                return;
            }
            case (DenseBlock dc, SparseBlock sa, DenseBlock db):
            {
                int di = sa.RowDim, k = sa.ColDim, ldc = dc.Rows, ldb = db.Rows, m = dc.Cols;
                var cd = dc.Data;
                var bd = db.Data;
                for (int col = 0; col < sa.ColLevels; col++)
                    for (int ea = sa.ColStart[col]; ea < sa.ColStart[col + 1]; ea++)
                    {
                        var s = sa.Sub(ea);
                        int ri = sa.RowLevel[ea];
                        for (int p = 0; p < k; p++)
                        {
                            int bOff = (col * k + p) * ldb;
                            for (int aa = 0; aa < di; aa++)
                            {
                                double v = s[p * di + aa];
                                if (v == 0) continue;
                                int row = ri * di + aa;
                                for (int j = 0; j < m; j++) cd[j * ldc + row] -= v * bd[bOff + j];
                            }
                        }
                    }
                return;
            }
            case (DenseBlock dc, DenseBlock da, DenseBlock db):
                DenseKernels.GemmNtSubtract(dc.Data, dc.Rows, dc.Rows, dc.Cols, da.Data, da.Rows, db.Data, db.Rows, da.Cols);
                return;
            default:
                throw new InvalidOperationException($"no product for {c.GetType().Name} -= {a.GetType().Name} * {b.GetType().Name}'");
        }
    }

    /// <summary>C ← C L^{-T}, L the Cholesky factor of a diagonal block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RightDivideTranspose(Block c, Block l, Span<double> scratch)
    {
        switch (c, l)
        {
            case (SparseBlock sc, BlockDiagonalBlock bl):
            {
                int d = bl.Size, r = sc.RowDim;
                if (d == 1 && r == 1)
                {
                    var values = sc.Values;
                    var colStart = sc.ColStart;
                    var diag = bl.Data;
                    for (int col = 0; col < sc.ColLevels; col++)
                    {
                        double lc = diag[col];
                        for (int e = colStart[col]; e < colStart[col + 1]; e++) values[e] /= lc;
                    }
                    return;
                }
                for (int col = 0; col < sc.ColLevels; col++)
                {
                    var lc = bl.Sub(col);
                    for (int e = sc.ColStart[col]; e < sc.ColStart[col + 1]; e++)
                        DenseKernels.TrsmRightLowerTranspose(sc.Sub(e), r, r, d, lc, d, scratch);
                }
                return;
            }
            case (DenseBlock dc, BlockDiagonalBlock bl):
            {
                int d = bl.Size, m = dc.Rows;
                if (d == 1)
                {
                    var data = dc.Data;
                    var diag = bl.Data;
                    for (int col = 0, at = 0; col < bl.Count; col++)
                    {
                        double inv = 1 / diag[col];
                        for (int i = 0; i < m; i++, at++) data[at] *= inv;
                    }
                    return;
                }
                if (d == 2)
                {
                    // The m × 2 column pair of each level against its 2 × 2 factor, as TrsmRightLowerTranspose does it.
                    var data = dc.Data;
                    var f = bl.Data;
                    for (int col = 0; col < bl.Count; col++)
                    {
                        double inv0 = 1 / f[4 * col], l10 = -f[4 * col + 1], inv1 = 1 / f[4 * col + 3];
                        var c0 = data.AsSpan(2 * col * m, m);
                        var c1 = data.AsSpan((2 * col + 1) * m, m);
                        for (int i = 0; i < c0.Length && i < c1.Length; i++)
                        {
                            double x0 = c0[i] * inv0;
                            c0[i] = x0;
                            c1[i] = (c1[i] + l10 * x0) * inv1;
                        }
                    }
                    return;
                }
                for (int col = 0; col < bl.Count; col++)
                    DenseKernels.TrsmRightLowerTranspose(dc.Data.AsSpan(col * d * m), m, m, d, bl.Sub(col), d, scratch);
                return;
            }
            case (DenseBlock dc, DenseBlock dl):
                DenseKernels.TrsmRightLowerTranspose(dc.Data, dc.Rows, dc.Rows, dc.Cols, dl.Data, dl.Rows, scratch);
                return;
            default:
                throw new InvalidOperationException($"no right division for {c.GetType().Name} / {l.GetType().Name}'");
        }
    }
}

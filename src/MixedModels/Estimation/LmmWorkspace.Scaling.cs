using System.Runtime.CompilerServices;
using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

public sealed partial class LmmWorkspace
{
    /// <summary>r (da × db) = Ta' s Tb for dense column-major sub-blocks; T lower triangular. Uses the scratch buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void Sandwich(ReadOnlySpan<double> s, Span<double> r, int ldr, ReadOnlySpan<double> ta, int da, ReadOnlySpan<double> tb, int db)
    {
        if (da == 1 && db == 1) { r[0] = ta[0] * s[0] * tb[0]; return; }
        if (da == 2 && db == 2)
        {
            // The loops below written out for 2 × 2 (the same operations in the same order): w = S T, r = T' w.
            double a0 = ta[0], a1 = ta[1], a3 = ta[3], b0 = tb[0], b1 = tb[1], b3 = tb[3];
            double w00 = b0 * s[0] + b1 * s[2], w01 = b3 * s[2];
            double w10 = b0 * s[1] + b1 * s[3], w11 = b3 * s[3];
            r[0] = a0 * w00 + a1 * w10;
            r[1] = a3 * w10;
            r[ldr] = a0 * w01 + a1 * w11;
            r[ldr + 1] = a3 * w11;
            return;
        }
        // w = s Tb row by row (w's row = Tb' times s's row), then r = Ta' w column by column.
        var w = _scratch.AsSpan(0, da * db + 2 * db);
        fixed (double* sp = s, rp = r, tap = ta, tbp = tb, wp = w)
        {
            double* row = wp + da * db, product = row + db;
            for (int i = 0; i < da; i++)
            {
                for (int c = 0; c < db; c++) row[c] = sp[c * da + i];
                UpperTimes(tbp, db, row, product);
                for (int c = 0; c < db; c++) wp[c * da + i] = product[c];
            }
            for (int c = 0; c < db; c++) UpperTimes(tap, da, wp + c * da, rp + c * ldr);
        }
    }

    /// <summary>L_jj = T' A_jj T + P_j (P = I unless penalty weights were set), into a block-diagonal or dense block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScaleDiagonal(BlockDiagonalBlock a, Block l, double[] t, int term)
    {
        int d = a.Size;
        var pen = _penalty is null ? default : _penalty.AsSpan(_penaltyOffset[term], a.Count * d);
        if (l is BlockDiagonalBlock bl)
        {
            if (d == 1)
            {
                double t2 = t[0] * t[0];
                var src = a.Data;
                var dst = bl.Data;
                if (pen.IsEmpty) for (int i = 0; i < src.Length; i++) dst[i] = t2 * src[i] + 1;
                else for (int i = 0; i < src.Length; i++) dst[i] = t2 * src[i] + pen[i];
                return;
            }
            for (int lev = 0; lev < a.Count; lev++)
            {
                var dst = bl.Sub(lev);
                Sandwich(a.Sub(lev), dst, d, t, d, t, d);
                for (int i = 0; i < d; i++) dst[i * d + i] += pen.IsEmpty ? 1 : pen[lev * d + i];
            }
            return;
        }
        var dl = (DenseBlock)l;
        int ld = dl.Rows;
        // Only the lower triangle of a dense diagonal block is ever read.
        for (int col = 0; col < ld; col++) dl.Data.AsSpan(col * ld + col, ld - col).Clear();
        for (int lev = 0; lev < a.Count; lev++)
        {
            var dst = dl.Data.AsSpan(lev * d * ld + lev * d);
            Sandwich(a.Sub(lev), dst, ld, t, d, t, d);
            for (int i = 0; i < d; i++) dst[i * ld + i] += pen.IsEmpty ? 1 : pen[lev * d + i];
        }
    }

    /// <summary>L_ij = T_i' A_ij T_j for two random-effects terms, into a sparse (possibly filled-in) or dense block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScaleOffDiagonal(SparseBlock a, Block l, int[]? scatter, double[] ti, double[] tj)
    {
        int di = a.RowDim, dj = a.ColDim;
        if (l is SparseBlock sl)
        {
            Array.Clear(sl.Values);
            if (di == 1 && dj == 1)
            {
                double t = ti[0] * tj[0];
                var av = a.Values;
                var lv = sl.Values;
                for (int e = 0; e < av.Length; e++) lv[scatter![e]] = t * av[e];
                return;
            }
            for (int e = 0; e < a.NonZeroBlocks; e++) Sandwich(a.Sub(e), sl.Sub(scatter![e]), di, ti, di, tj, dj);
            return;
        }
        var dl = (DenseBlock)l;
        int ld = dl.Rows;
        if (di == 1 && dj == 1)
        {
            double t = ti[0] * tj[0];
            var av = a.Values;
            var data = dl.Data;
            if (av.Length == data.Length)
            {
                // Every pair of levels occurs (verbagg's persons × items): A's entries, column by column with rows in
                // ascending order (the sparse block's invariant), are already L's dense layout.
                for (int e = 0; e < av.Length; e++) data[e] = t * av[e];
                return;
            }
            Array.Clear(data);
            for (int col = 0; col < a.ColLevels; col++)
                for (int e = a.ColStart[col]; e < a.ColStart[col + 1]; e++) data[col * ld + a.RowLevel[e]] = t * av[e];
            return;
        }
        Array.Clear(dl.Data);
        ScaleIntoDense(a, dl, ti, tj);
    }

    /// <summary>
    /// L_ij = T_i' A_ij T_j into a dense block: each stored sub-block of A is multiplied by T_i' as it is scattered
    /// into place, then the columns are combined by T_j in place, level by level, as long vector operations (an
    /// output column reads only itself and later columns, so ascending order needs no copy).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ScaleIntoDense(SparseBlock a, DenseBlock dl, double[] ti, double[] tj)
    {
        int di = a.RowDim, dj = a.ColDim, ld = dl.Rows;
        var dd = dl.Data;
        if ((long)a.NonZeroBlocks * di * dj < dd.Length) Array.Clear(dd);
        fixed (double* lp = dd, ap = a.Values, tip = ti)
        fixed (int* colStart = a.ColStart, rowLevel = a.RowLevel)
        {
            int sub = di * dj;
            for (int col = 0; col < a.ColLevels; col++)
                for (int e = colStart[col]; e < colStart[col + 1]; e++)
                {
                    double* src = ap + (long)e * sub;
                    double* dst = lp + (long)col * dj * ld + rowLevel[e] * di;
                    for (int c = 0; c < dj; c++, src += di, dst += ld) UpperTimes(tip, di, src, dst);
                }
        }
        TimesFactorInPlace(dd, ld, a.ColLevels, tj, dj);
    }

    /// <summary>
    /// B ← B (I ⊗ T) for a dense column-major block with <paramref name="levels"/> groups of d columns, in place:
    /// whole columns combined as long vector operations; an output column reads only itself and later columns of its
    /// group, so ascending order needs no copy.
    /// </summary>
    private static void TimesFactorInPlace(double[] data, int ld, int levels, double[] t, int d)
    {
        if (d == 1)
        {
            // A scalar term's T is one number: the whole block is scaled at once, not one short column per level.
            if (t[0] != 1) DenseKernels.Scale(t[0], data.AsSpan(0, ld * levels));
            return;
        }
        if (d == 2)
        {
            // An intercept and a slope: both columns of a level in one pass, the same operations as below.
            double t0 = t[0], t1 = t[1], t3 = t[3];
            for (int lev = 0; lev < levels; lev++)
            {
                var c0 = data.AsSpan(2 * lev * ld, ld);
                var c1 = data.AsSpan((2 * lev + 1) * ld, ld);
                for (int i = 0; i < c0.Length && i < c1.Length; i++)
                {
                    double x1 = c1[i];
                    c0[i] = c0[i] * t0 + t1 * x1;
                    c1[i] = x1 * t3;
                }
            }
            return;
        }
        for (int lev = 0; lev < levels; lev++)
            for (int c = 0; c < d; c++)
            {
                var target = data.AsSpan((lev * d + c) * ld, ld);
                double diag = t[c * d + c];
                if (diag != 1) DenseKernels.Scale(diag, target);
                for (int s = c + 1; s < d; s++)
                {
                    double tc = t[c * d + s];
                    if (tc != 0) DenseKernels.Axpy(tc, data.AsSpan((lev * d + s) * ld, ld), target);
                }
            }
    }

    /// <summary>
    /// dst = T' src for a d-vector, T lower triangular (column-major): unrolled for the common small d, since the
    /// nested loops of 2-4 iterations cost more in mispredicted exits than in arithmetic.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void UpperTimes(double* t, int d, double* src, double* dst)
    {
        switch (d)
        {
            case 2:
                dst[0] = t[0] * src[0] + t[1] * src[1];
                dst[1] = t[3] * src[1];
                return;
            case 3:
                dst[0] = t[0] * src[0] + t[1] * src[1] + t[2] * src[2];
                dst[1] = t[4] * src[1] + t[5] * src[2];
                dst[2] = t[8] * src[2];
                return;
            case 4:
                dst[0] = t[0] * src[0] + t[1] * src[1] + t[2] * src[2] + t[3] * src[3];
                dst[1] = t[5] * src[1] + t[6] * src[2] + t[7] * src[3];
                dst[2] = t[10] * src[2] + t[11] * src[3];
                dst[3] = t[15] * src[3];
                return;
            default:
                for (int r = 0; r < d; r++)
                {
                    double acc = 0;
                    for (int k = r; k < d; k++) acc += t[r * d + k] * src[k];
                    dst[r] = acc;
                }
                return;
        }
    }

    /// <summary>L_{Xy,j} = A_{Xy,j} (I ⊗ T_j).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleXyRow(DenseBlock a, DenseBlock l, double[] t, int d)
    {
        a.Data.CopyTo(l.Data, 0);
        TimesFactorInPlace(l.Data, a.Rows, a.Cols / d, t, d);
    }
}

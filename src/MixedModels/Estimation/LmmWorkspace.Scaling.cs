using System.Runtime.CompilerServices;
using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

public sealed partial class LmmWorkspace
{
    /// <summary>r (da × db) = Ta' s Tb for dense column-major sub-blocks; T lower triangular. Uses the scratch buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Sandwich(ReadOnlySpan<double> s, Span<double> r, int ldr, ReadOnlySpan<double> ta, int da, ReadOnlySpan<double> tb, int db)
    {
        if (da == 1 && db == 1) { r[0] = ta[0] * s[0] * tb[0]; return; }
        var w = _scratch.AsSpan(0, da * db);
        // w = s Tb
        for (int col = 0; col < db; col++)
            for (int row = 0; row < da; row++)
            {
                double acc = 0;
                for (int c = col; c < db; c++) acc += s[c * da + row] * tb[col * db + c];
                w[col * da + row] = acc;
            }
        // r = Ta' w
        for (int col = 0; col < db; col++)
            for (int row = 0; row < da; row++)
            {
                double acc = 0;
                for (int c = row; c < da; c++) acc += ta[row * da + c] * w[col * da + c];
                r[col * ldr + row] = acc;
            }
    }

    /// <summary>L_jj = T' A_jj T + I, into a block-diagonal or dense block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScaleDiagonal(BlockDiagonalBlock a, Block l, double[] t)
    {
        int d = a.Size;
        if (l is BlockDiagonalBlock bl)
        {
            if (d == 1)
            {
                double t2 = t[0] * t[0];
                var src = a.Data;
                var dst = bl.Data;
                for (int i = 0; i < src.Length; i++) dst[i] = t2 * src[i] + 1;
                return;
            }
            for (int lev = 0; lev < a.Count; lev++)
            {
                var dst = bl.Sub(lev);
                Sandwich(a.Sub(lev), dst, d, t, d, t, d);
                for (int i = 0; i < d; i++) dst[i * d + i] += 1;
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
            for (int i = 0; i < d; i++) dst[i * ld + i] += 1;
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
        Array.Clear(dl.Data);
        int ld = dl.Rows;
        if (di == 1 && dj == 1)
        {
            double t = ti[0] * tj[0];
            var av = a.Values;
            var data = dl.Data;
            for (int col = 0; col < a.ColLevels; col++)
                for (int e = a.ColStart[col]; e < a.ColStart[col + 1]; e++) data[col * ld + a.RowLevel[e]] = t * av[e];
            return;
        }
        for (int col = 0; col < a.ColLevels; col++)
            for (int e = a.ColStart[col]; e < a.ColStart[col + 1]; e++)
                Sandwich(a.Sub(e), dl.Data.AsSpan(col * dj * ld + a.RowLevel[e] * di), ld, ti, di, tj, dj);
    }

    /// <summary>L_{Xy,j} = A_{Xy,j} (I ⊗ T_j).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleXyRow(DenseBlock a, DenseBlock l, double[] t, int d)
    {
        int w = a.Rows;
        var src = a.Data;
        var dst = l.Data;
        if (d == 1)
        {
            double t0 = t[0];
            for (int i = 0; i < src.Length; i++) dst[i] = src[i] * t0;
            return;
        }
        int levels = a.Cols / d;
        for (int lev = 0; lev < levels; lev++)
        {
            int base0 = lev * d * w;
            for (int col = 0; col < d; col++)
            {
                var outCol = dst.AsSpan(base0 + col * w, w);
                outCol.Clear();
                for (int c = col; c < d; c++)
                {
                    double tc = t[col * d + c];
                    if (tc != 0) DenseKernels.Axpy(tc, src.AsSpan(base0 + c * w, w), outCol);
                }
            }
        }
    }
}

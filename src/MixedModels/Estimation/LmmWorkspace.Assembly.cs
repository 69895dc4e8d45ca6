using System.Runtime.CompilerServices;
using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

public sealed partial class LmmWorkspace
{
    /// <summary>The response used in A: y minus the offset.</summary>
    private double[] WorkingResponse()
    {
        var y = _design.ResponseArray;
        var off = _design.OffsetArray;
        if (off is null) return y;
        var r = new double[y.Length];
        for (int i = 0; i < r.Length; i++) r[i] = y[i] - off[i];
        return r;
    }

    /// <summary>The blocks of A = [Z X y]'W[Z X y] with their structure and zero values.</summary>
    private Block[][] AllocateA()
    {
        int k = _k, w = _p + 1;
        var a = new Block[k + 1][];
        for (int i = 0; i <= k; i++) a[i] = new Block[i + 1];
        for (int j = 0; j < k; j++)
        {
            a[j][j] = new BlockDiagonalBlock(_levels[j], _dims[j]);
            for (int i = j + 1; i < k; i++) a[i][j] = CrossStructure(i, j);
            a[k][j] = new DenseBlock(w, _levels[j] * _dims[j]);
        }
        a[k][k] = new DenseBlock(w, w);
        return a;
    }

    /// <summary>
    /// Fills A = [Z X y]'W[Z X y] in its existing storage, in one pass per block over the observations; W is
    /// diagonal with <paramref name="weights"/> (empty: the identity). Allocates nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillA(ReadOnlySpan<double> weights, ReadOnlySpan<double> y)
    {
        int k = _k, n = _n, p = _p, w = p + 1;
        var x = XData;
        bool weighted = !weights.IsEmpty;
        for (int j = 0; j < k; j++)
        {
            var diag = ((BlockDiagonalBlock)_a[j][j]).Data;
            var zy = ((DenseBlock)_a[k][j]).Data;
            Array.Clear(diag);
            Array.Clear(zy);
            TermRows(j, 0, n, diag, zy, weights, y);
            for (int i = j + 1; i < k; i++) FillCross(i, j, weights);
        }

        var xy = ((DenseBlock)_a[k][k]).Data;
        if (weighted)
        {
            WeightedCrossProducts(0, n, xy, weights, y);
            _factored = false;
            return;
        }
        for (int c1 = 0; c1 <= p; c1++)
        {
            var u = c1 < p ? x.AsSpan(c1 * n, n) : y;
            for (int c2 = c1; c2 <= p; c2++)
            {
                var v = c2 < p ? x.AsSpan(c2 * n, n) : y;
                double s = DenseKernels.Dot(u, v);
                xy[c1 * w + c2] = s;
                xy[c2 * w + c1] = s;
            }
        }
        _factored = false;
    }

    /// <summary>
    /// Rows [lo, hi) of scalar term j into its diagonal and its rows of [X y]'WZ, in one pass without per-row spans;
    /// unweighted when <paramref name="weights"/> is empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScalarRows(int j, int lo, int hi, double[] diag, double[] zy, ReadOnlySpan<double> weights, ReadOnlySpan<double> y)
    {
        var term = _design.TermsArray[j];
        var codes = term.CodesArray;
        var z = term.ZArray;
        int n = _n, p = _p, w = p + 1;
        var x = XData;
        bool weighted = !weights.IsEmpty;
        for (int r = lo; r < hi; r++)
        {
            int lev = codes[r];
            double zr = weighted ? weights[r] * z[r] : z[r];
            diag[lev] += zr * z[r];
            int off = lev * w;
            zy[off + p] += y[r] * zr;
            for (int c = 0; c < p; c++) zy[off + c] += x[c * n + r] * zr;
        }
    }

    /// <summary>
    /// Rows [lo, hi) of vector-valued term j into its diagonal blocks and its rows of [X y]'WZ, in one pass;
    /// unweighted when <paramref name="weights"/> is empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void VectorRowsWithX(int j, int lo, int hi, double[] diag, double[] zy, ReadOnlySpan<double> weights, ReadOnlySpan<double> y)
    {
        var term = _design.TermsArray[j];
        var codes = term.CodesArray;
        var z = term.ZArray;
        var x = XData;
        int n = _n, p = _p, w = p + 1, d = _dims[j], dd = d * d;
        bool weighted = !weights.IsEmpty;
        for (int r = lo; r < hi; r++)
        {
            int lev = codes[r], o = lev * dd, zo = r * d;
            double wr = weighted ? weights[r] : 1, yr = y[r];
            for (int b = 0; b < d; b++)
            {
                double zb = wr * z[zo + b];
                for (int c = 0; c < d; c++) diag[o + b * d + c] += z[zo + c] * zb;
                int off = (lev * d + b) * w;
                for (int c = 0; c < p; c++) zy[off + c] += x[c * n + r] * zb;
                zy[off + p] += yr * zb;
            }
        }
    }

    /// <summary>
    /// Rows [lo, hi) of term j into its diagonal blocks and its rows of [X y]'WZ (both cleared by the caller);
    /// unweighted when <paramref name="weights"/> is empty. Every kernel sums each element over the rows in order.
    /// </summary>
    private void TermRows(int j, int lo, int hi, double[] diag, double[] zy, ReadOnlySpan<double> weights, ReadOnlySpan<double> y)
    {
        switch (_dims[j])
        {
            case 1: ScalarRows(j, lo, hi, diag, zy, weights, y); break;
            case 2 when _p == 0: PairRowsResponseOnly(j, lo, hi, diag, zy, weights, y); break;
            case 2: PairRowsWithX(j, lo, hi, diag, zy, weights, y); break;
            default: VectorRowsWithX(j, lo, hi, diag, zy, weights, y); break;
        }
    }

    /// <summary>
    /// A term of dimension 2 without X (a GLMM's system for u with β held: the hot loop of PIRLS for (1 + x | g)):
    /// its diagonal blocks and Z'Wy, the arrays indexed directly.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PairRowsResponseOnly(int j, int lo, int hi, double[] diag, double[] zy, ReadOnlySpan<double> weights, ReadOnlySpan<double> y)
    {
        var term = _design.TermsArray[j];
        var codes = term.CodesArray;
        var z = term.ZArray;
        bool weighted = !weights.IsEmpty;
        for (int r = lo; r < hi; r++)
        {
            int lev = codes[r];
            double w = weighted ? weights[r] : 1, yr = y[r], z0 = z[2 * r], z1 = z[2 * r + 1];
            double wz0 = w * z0, wz1 = w * z1, cross = wz1 * z0;
            int o = lev * 4;
            diag[o] += wz0 * z0;
            diag[o + 1] += cross;
            diag[o + 2] += cross;
            diag[o + 3] += wz1 * z1;
            zy[2 * lev] += yr * wz0;
            zy[2 * lev + 1] += yr * wz1;
        }
    }

    /// <summary>
    /// A term of dimension 2 with X: <see cref="VectorRowsWithX"/> unrolled, with the same products in the same order
    /// (so the same sums to the last bit).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PairRowsWithX(int j, int lo, int hi, double[] diag, double[] zy, ReadOnlySpan<double> weights, ReadOnlySpan<double> y)
    {
        var term = _design.TermsArray[j];
        var codes = term.CodesArray;
        var z = term.ZArray;
        var x = XData;
        int n = _n, p = _p, w = p + 1;
        bool weighted = !weights.IsEmpty;
        for (int r = lo; r < hi; r++)
        {
            int lev = codes[r];
            double wr = weighted ? weights[r] : 1, yr = y[r], z0 = z[2 * r], z1 = z[2 * r + 1];
            double wz0 = wr * z0, wz1 = wr * z1;
            int o = lev * 4;
            diag[o] += z0 * wz0;
            diag[o + 1] += z1 * wz0;
            diag[o + 2] += z0 * wz1;
            diag[o + 3] += z1 * wz1;
            int off0 = 2 * lev * w, off1 = off0 + w;
            for (int c = 0; c < p; c++)
            {
                double xv = x[c * n + r];
                zy[off0 + c] += xv * wz0;
                zy[off1 + c] += xv * wz1;
            }
            zy[off0 + p] += yr * wz0;
            zy[off1 + p] += yr * wz1;
        }
    }

    /// <summary>
    /// The structure of Z_i'Z_j for two grouping factors — one sub-block per pair of levels that occur together — and
    /// the sub-block of each row (kept for every refill), by two counting sorts of the rows (by level of i, then
    /// stably by level of j): linear in the rows, no comparison sort and no search per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SparseBlock CrossStructure(int i, int j)
    {
        var ci = _design.TermsArray[i].CodesArray;
        var cj = _design.TermsArray[j].CodesArray;
        int li = _levels[i], lj = _levels[j], n = _n;
        var byRow = CountingOrder(ci, li, null);
        var order = CountingOrder(cj, lj, byRow);
        var entry = new int[n];
        var colStart = new int[lj + 1];
        var rows = new List<int>();
        int previousCol = -1, previousRow = -1;
        foreach (int r in order)
        {
            int col = cj[r], row = ci[r];
            if (col != previousCol || row != previousRow)
            {
                rows.Add(row);
                colStart[col + 1]++;
                previousCol = col;
                previousRow = row;
            }
            entry[r] = rows.Count - 1;
        }
        for (int c = 0; c < lj; c++) colStart[c + 1] += colStart[c];
        _crossEntry[i][j] = entry;
        return new SparseBlock(li, lj, _dims[i], _dims[j], colStart, [.. rows]);
    }

    /// <summary>The rows (those of <paramref name="within"/>, or 0..n−1) stably ordered by <paramref name="codes"/> (levels 0..levels−1).</summary>
    private static int[] CountingOrder(int[] codes, int levels, int[]? within)
    {
        int n = codes.Length;
        var start = new int[levels + 1];
        foreach (int c in codes) start[c + 1]++;
        for (int l = 0; l < levels; l++) start[l + 1] += start[l];
        var order = new int[n];
        for (int k = 0; k < n; k++)
        {
            int r = within is null ? k : within[k];
            order[start[codes[r]]++] = r;
        }
        return order;
    }

    /// <summary>
    /// The values of Z_i'WZ_j into the block's existing structure. The sub-block of each row is looked up once (the
    /// first fill) and kept, so refills for new weights do no searching.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillCross(int i, int j, ReadOnlySpan<double> weights)
    {
        var ti = _design.TermsArray[i];
        var tj = _design.TermsArray[j];
        int di = _dims[i], dj = _dims[j], n = _n;
        var block = (SparseBlock)_a[i][j];
        var entry = _crossEntry[i][j]!;
        var values = block.Values;
        Array.Clear(values);
        var zi = ti.ZArray;
        var zj = tj.ZArray;
        bool weighted = !weights.IsEmpty;
        if (di == 1 && dj == 1)
        {
            if (weighted) for (int r = 0; r < n; r++) values[entry[r]] += weights[r] * zi[r] * zj[r];
            else for (int r = 0; r < n; r++) values[entry[r]] += zi[r] * zj[r];
            return;
        }
        int size = di * dj;
        for (int r = 0; r < n; r++)
        {
            var sub = values.AsSpan(entry[r] * size, size);
            double wr = weighted ? weights[r] : 1;
            for (int b = 0; b < dj; b++)
            {
                double zb = wr * zj[r * dj + b];
                for (int c = 0; c < di; c++) sub[b * di + c] += zi[r * di + c] * zb;
            }
        }
    }
}

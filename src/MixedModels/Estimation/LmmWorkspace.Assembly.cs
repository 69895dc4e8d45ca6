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

    /// <summary>Builds the blocks of A = [Z X y]'[Z X y] in one pass per block over the observations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Block[][] AssembleA()
    {
        int k = _k, n = _n, p = _p, w = p + 1;
        var terms = _design.RandomTerms;
        var x = _design.X.Data;
        var y = WorkingResponse();
        var a = new Block[k + 1][];
        for (int i = 0; i <= k; i++) a[i] = new Block[i + 1];

        for (int j = 0; j < k; j++)
        {
            int d = _dims[j];
            var codes = terms[j].CodesArray;
            var z = terms[j].ZArray;
            var diag = new BlockDiagonalBlock(_levels[j], d);
            for (int r = 0; r < n; r++)
            {
                var sub = diag.Sub(codes[r]);
                for (int b = 0; b < d; b++)
                    for (int c = 0; c < d; c++) sub[b * d + c] += z[r * d + c] * z[r * d + b];
            }
            a[j][j] = diag;
            for (int i = j + 1; i < k; i++) a[i][j] = Cross(i, j);
            var xz = new DenseBlock(w, _levels[j] * d);
            var data = xz.Data;
            for (int r = 0; r < n; r++)
            {
                int col0 = codes[r] * d;
                for (int b = 0; b < d; b++)
                {
                    double zb = z[r * d + b];
                    if (zb == 0) continue;
                    int off = (col0 + b) * w;
                    for (int c = 0; c < p; c++) data[off + c] += x[c * n + r] * zb;
                    data[off + p] += y[r] * zb;
                }
            }
            a[k][j] = xz;
        }

        var xy = new DenseBlock(w, w);
        for (int c1 = 0; c1 <= p; c1++)
        {
            var u = c1 < p ? x.AsSpan(c1 * n, n) : y;
            for (int c2 = c1; c2 <= p; c2++)
            {
                var v = c2 < p ? x.AsSpan(c2 * n, n) : y;
                double s = DenseKernels.Dot(u, v);
                xy.Data[c1 * w + c2] = s;
                xy.Data[c2 * w + c1] = s;
            }
        }
        a[k][k] = xy;
        return a;
    }

    /// <summary>Z_i'Z_j for two grouping factors: one sub-block per pair of levels that occur together.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SparseBlock Cross(int i, int j)
    {
        var ti = _design.RandomTerms[i];
        var tj = _design.RandomTerms[j];
        var ci = ti.CodesArray;
        var cj = tj.CodesArray;
        int li = _levels[i], lj = _levels[j], di = _dims[i], dj = _dims[j], n = _n;
        var keys = new long[n];
        for (int r = 0; r < n; r++) keys[r] = (long)cj[r] * li + ci[r];
        Array.Sort(keys);
        int unique = 0;
        for (int r = 0; r < n; r++) if (r == 0 || keys[r] != keys[r - 1]) keys[unique++] = keys[r];
        var colStart = new int[lj + 1];
        var rows = new int[unique];
        for (int e = 0; e < unique; e++)
        {
            int col = (int)(keys[e] / li);
            rows[e] = (int)(keys[e] % li);
            colStart[col + 1]++;
        }
        for (int c = 0; c < lj; c++) colStart[c + 1] += colStart[c];
        var block = new SparseBlock(li, lj, di, dj, colStart, rows);
        var zi = ti.ZArray;
        var zj = tj.ZArray;
        for (int r = 0; r < n; r++)
        {
            var sub = block.Sub(block.Find(cj[r], ci[r]));
            for (int b = 0; b < dj; b++)
                for (int c = 0; c < di; c++) sub[b * di + c] += zi[r * di + c] * zj[r * dj + b];
        }
        return block;
    }
}

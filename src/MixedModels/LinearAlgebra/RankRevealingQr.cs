namespace MixedModels.LinearAlgebra;

/// <summary>
/// Householder QR with R's limited column pivoting (LINPACK <c>dqrdc2</c>, as used by <c>qr()</c> and by lme4's rank
/// check): a column whose remaining norm falls below <c>tol</c> times its original norm is moved to the end. The columns
/// moved are the ones to drop to make a matrix of full column rank; the others keep their order.
/// </summary>
internal static class RankRevealingQr
{
    /// <summary>The rank and the column order (kept columns first) of an n × p column-major matrix (not modified).</summary>
    public static (int Rank, int[] Pivot) Decompose(ReadOnlySpan<double> matrix, int n, int p, double tol = 1e-7) =>
        DecomposeInPlace(matrix.ToArray(), n, p, tol);

    /// <summary>As <see cref="Decompose"/>, overwriting <paramref name="x"/> (a copy the caller made anyway).</summary>
    public static (int Rank, int[] Pivot) DecomposeInPlace(double[] x, int n, int p, double tol = 1e-7)
    {
        var pivot = new int[p];
        var qraux = new double[p];
        var work1 = new double[p];
        var work2 = new double[p];
        for (int j = 0; j < p; j++)
        {
            pivot[j] = j;
            qraux[j] = Norm(x.AsSpan(j * n, n));
            work1[j] = qraux[j];
            work2[j] = qraux[j] == 0 ? 1 : qraux[j];
        }
        int lup = Math.Min(n, p);
        int k = p;
        var tmp = new double[n];
        for (int l = 0; l < lup; l++)
        {
            while (l < k && qraux[l] < work2[l] * tol)
            {
                // Move column l to the end.
                x.AsSpan(l * n, n).CopyTo(tmp);
                for (int j = l + 1; j < p; j++) x.AsSpan(j * n, n).CopyTo(x.AsSpan((j - 1) * n, n));
                tmp.CopyTo(x.AsSpan((p - 1) * n, n));
                Rotate(pivot, l); Rotate(qraux, l); Rotate(work1, l); Rotate(work2, l);
                k--;
            }
            if (l == n - 1) break;
            var col = x.AsSpan(l * n, n);
            double nrmxl = Norm(col[l..]);
            if (nrmxl == 0) continue;
            if (col[l] != 0) nrmxl = Math.CopySign(nrmxl, col[l]);
            DenseKernels.Scale(1 / nrmxl, col[l..]); // LINPACK's dscal by the reciprocal
            col[l] += 1;
            for (int j = l + 1; j < p; j++)
            {
                var cj = x.AsSpan(j * n, n);
                double dot = DenseKernels.Dot(col[l..], cj[l..]);
                double t = -dot / col[l];
                DenseKernels.Axpy(t, col[l..], cj[l..]);
                if (qraux[j] == 0) continue;
                double tt = Math.Max(0, 1 - Math.Pow(Math.Abs(cj[l]) / qraux[j], 2));
                if (Math.Abs(tt) < 1e-6)
                {
                    qraux[j] = Norm(cj[(l + 1)..]);
                    work1[j] = qraux[j];
                }
                else qraux[j] *= Math.Sqrt(tt);
            }
            qraux[l] = col[l];
            col[l] = -nrmxl;
        }
        return (Math.Min(k, n), pivot);
    }

    private static void Rotate<T>(T[] a, int l)
    {
        T t = a[l];
        Array.Copy(a, l + 1, a, l, a.Length - l - 1);
        a[^1] = t;
    }

    private static double MaxAbs(ReadOnlySpan<double> v)
    {
        int i = 0;
        double max = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && v.Length >= System.Numerics.Vector<double>.Count)
        {
            var vm = System.Numerics.Vector<double>.Zero;
            var vv = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(v);
            foreach (var x in vv) vm = System.Numerics.Vector.Max(vm, System.Numerics.Vector.Abs(x));
            for (int k = 0; k < System.Numerics.Vector<double>.Count; k++) max = Math.Max(max, vm[k]);
            i = vv.Length * System.Numerics.Vector<double>.Count;
        }
        for (; i < v.Length; i++) max = Math.Max(max, Math.Abs(v[i]));
        return max;
    }

    /// <summary>The Euclidean norm: a vectorized sum of squares when no overflow or underflow can occur, else scaled.</summary>
    private static double Norm(ReadOnlySpan<double> v)
    {
        double max = MaxAbs(v);
        if (max == 0) return 0;
        if (max is > 1e-140 and < 1e140) return Math.Sqrt(DenseKernels.Dot(v, v));
        double scale = 0, ssq = 1;
        foreach (double x in v)
        {
            if (x == 0) continue;
            double a = Math.Abs(x);
            if (scale < a) { ssq = 1 + ssq * (scale / a) * (scale / a); scale = a; }
            else ssq += (a / scale) * (a / scale);
        }
        return scale * Math.Sqrt(ssq);
    }
}

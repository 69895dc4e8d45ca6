using System.Runtime.CompilerServices;
namespace MixedModels.LinearAlgebra;

/// <summary>Matrix-vector products and triangular solves with single blocks, for solutions after a fit.</summary>
internal static class BlockVectorOps
{
    /// <summary>y -= B x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplySubtract(Block b, ReadOnlySpan<double> x, Span<double> y)
    {
        switch (b)
        {
            case DenseBlock d:
                for (int j = 0; j < d.Cols; j++) if (x[j] != 0) DenseKernels.Axpy(-x[j], d.Column(j), y);
                return;
            case SparseBlock s:
            {
                int r = s.RowDim, k = s.ColDim;
                for (int col = 0; col < s.ColLevels; col++)
                    for (int e = s.ColStart[col]; e < s.ColStart[col + 1]; e++)
                    {
                        var sub = s.Sub(e);
                        int row0 = s.RowLevel[e] * r;
                        for (int p = 0; p < k; p++)
                        {
                            double xv = x[col * k + p];
                            for (int a = 0; a < r; a++) y[row0 + a] -= sub[p * r + a] * xv;
                        }
                    }
                return;
            }
            case BlockDiagonalBlock bd:
            {
                int d = bd.Size;
                for (int l = 0; l < bd.Count; l++)
                {
                    var sub = bd.Sub(l);
                    for (int p = 0; p < d; p++)
                        for (int a = 0; a < d; a++) y[l * d + a] -= sub[p * d + a] * x[l * d + p];
                }
                return;
            }
        }
    }

    /// <summary>y -= B' x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransposeMultiplySubtract(Block b, ReadOnlySpan<double> x, Span<double> y)
    {
        switch (b)
        {
            case DenseBlock d:
                for (int j = 0; j < d.Cols; j++) y[j] -= DenseKernels.Dot(d.Column(j), x);
                return;
            case SparseBlock s:
            {
                int r = s.RowDim, k = s.ColDim;
                for (int col = 0; col < s.ColLevels; col++)
                    for (int e = s.ColStart[col]; e < s.ColStart[col + 1]; e++)
                    {
                        var sub = s.Sub(e);
                        int row0 = s.RowLevel[e] * r;
                        for (int p = 0; p < k; p++)
                        {
                            double acc = 0;
                            for (int a = 0; a < r; a++) acc += sub[p * r + a] * x[row0 + a];
                            y[col * k + p] -= acc;
                        }
                    }
                return;
            }
            case BlockDiagonalBlock bd:
            {
                int d = bd.Size;
                for (int l = 0; l < bd.Count; l++)
                {
                    var sub = bd.Sub(l);
                    for (int p = 0; p < d; p++)
                    {
                        double acc = 0;
                        for (int a = 0; a < d; a++) acc += sub[p * d + a] * x[l * d + a];
                        y[l * d + p] -= acc;
                    }
                }
                return;
            }
        }
    }

    /// <summary>Solves L x = b in place, L a factored diagonal block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SolveLower(Block l, Span<double> x)
    {
        switch (l)
        {
            case BlockDiagonalBlock bd:
                for (int k = 0; k < bd.Count; k++) DenseKernels.SolveLower(bd.Sub(k), bd.Size, bd.Size, x.Slice(k * bd.Size, bd.Size));
                return;
            case DenseBlock d:
                DenseKernels.SolveLower(d.Data, d.Rows, d.Rows, x);
                return;
            default: throw new InvalidOperationException();
        }
    }

    /// <summary>Solves L' x = b in place, L a factored diagonal block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SolveLowerTranspose(Block l, Span<double> x)
    {
        switch (l)
        {
            case BlockDiagonalBlock bd:
                for (int k = 0; k < bd.Count; k++) DenseKernels.SolveLowerTranspose(bd.Sub(k), bd.Size, bd.Size, x.Slice(k * bd.Size, bd.Size));
                return;
            case DenseBlock d:
                DenseKernels.SolveLowerTranspose(d.Data, d.Rows, d.Rows, x);
                return;
            default: throw new InvalidOperationException();
        }
    }
}

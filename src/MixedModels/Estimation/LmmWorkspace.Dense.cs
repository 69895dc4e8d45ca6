using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

public sealed partial class LmmWorkspace
{
    /// <summary>The total number of random effects q.</summary>
    public int RandomEffectCount => _levels.Select((l, j) => l * _dims[j]).Sum();

    /// <summary>
    /// Dense copies of the cross-products Z'Z (q × q), Z'X (q × p) and X'X (p × p) from the stored blocks of A
    /// (for inference that works on the q-dimensional problem; costs q² memory).
    /// </summary>
    internal (double[,] ZtZ, double[,] ZtX, double[,] XtX) DenseCrossProducts()
    {
        int q = RandomEffectCount, p = _p, k = _k;
        var offsets = new int[k + 1];
        for (int j = 0; j < k; j++) offsets[j + 1] = offsets[j] + _levels[j] * _dims[j];
        var ztz = new double[q, q];
        for (int i = 0; i < k; i++)
            for (int j = 0; j <= i; j++)
            {
                var b = _a[i][j];
                for (int r = 0; r < b.Rows; r++)
                    for (int c = 0; c < b.Cols; c++)
                    {
                        double v = b.Get(r, c);
                        if (v == 0) continue;
                        ztz[offsets[i] + r, offsets[j] + c] = v;
                        ztz[offsets[j] + c, offsets[i] + r] = v;
                    }
            }
        var ztx = new double[q, p];
        for (int j = 0; j < k; j++)
        {
            var b = (DenseBlock)_a[k][j];
            for (int c = 0; c < b.Cols; c++)
                for (int r = 0; r < p; r++) ztx[offsets[j] + c, r] = b.Data[c * (p + 1) + r];
        }
        var xtx = new double[p, p];
        var xy = (DenseBlock)_a[k][k];
        for (int r = 0; r < p; r++) for (int c = 0; c < p; c++) xtx[r, c] = xy.Data[c * (p + 1) + r];
        _centring.CrossProductsToOriginal(ztx, xtx);
        return (ztz, ztx, xtx);
    }
}

using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

public sealed partial class LmmWorkspace
{
    /// <summary>The offsets of each term's spherical random effects in u, and q at the end.</summary>
    private int[] RandomEffectOffsets()
    {
        var offsets = new int[_k + 1];
        for (int j = 0; j < _k; j++) offsets[j + 1] = offsets[j] + _levels[j] * _dims[j];
        return offsets;
    }

    /// <summary>
    /// a' (L L')⁻¹ a for a vector a in the coordinates of the joint system [u; β] (q + p values): the covariance,
    /// divided by σ², of a'[û − u; β̂] given θ — the exact variance of a linear prediction Xβ̂ + ZΛû about its target
    /// when a = [Λ'z; x]. One forward substitution through the blocks of L, starting at the first nonzero block.
    /// </summary>
    public double JointQuadraticForm(ReadOnlySpan<double> a)
    {
        RequireFactored();
        var offsets = RandomEffectOffsets();
        int q = offsets[_k];
        if (a.Length != q + _p) throw new ArgumentException($"the vector has {a.Length} elements; [u; β] has {q + _p}");
        int first = _k;
        for (int j = 0; j < _k && first == _k; j++)
            if (a[offsets[j]..offsets[j + 1]].ContainsAnyExcept(0.0)) first = j;
        var w = a.ToArray();
        double sum = 0;
        for (int i = first; i < _k; i++)
        {
            var wi = w.AsSpan(offsets[i], offsets[i + 1] - offsets[i]);
            for (int m = first; m < i; m++) BlockVectorOps.MultiplySubtract(_l[i][m], w.AsSpan(offsets[m], offsets[m + 1] - offsets[m]), wi);
            BlockVectorOps.SolveLower(_l[i][i], wi);
            sum += DenseKernels.Dot(wi, wi);
        }
        // The fixed-effects rows of the last block row (its last row belongs to y and is left out).
        var wx = new double[_p + 1];
        a[q..].CopyTo(wx);
        _centring.CombinationToInternal(wx.AsSpan(0, _p));
        for (int m = first; m < _k; m++) BlockVectorOps.MultiplySubtract(_l[_k][m], w.AsSpan(offsets[m], offsets[m + 1] - offsets[m]), wx);
        DenseKernels.SolveLower(XyFactor.Data, _p + 1, _p, wx);
        for (int i = 0; i < _p; i++) sum += wx[i] * wx[i];
        return sum;
    }
}

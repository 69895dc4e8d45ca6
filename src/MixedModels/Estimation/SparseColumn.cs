using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

/// <summary>
/// One block of a vector in a forward substitution, stored densely but with the levels (groups of d entries) that
/// are nonzero tracked, so clearing, solving and multiplying cost what is touched.
/// </summary>
internal sealed class SparseColumn(int levels, int dim)
{
    private readonly double[] _x = new double[levels * dim];
    private readonly bool[] _touched = new bool[levels];
    private readonly List<int> _list = [];
    private bool _all;

    /// <summary>The dot product with another vector of the same block, over this one's touched levels.</summary>
    public double Dot(SparseColumn other)
    {
        if (_all) return DenseKernels.Dot(_x, other._x);
        double s = 0;
        foreach (int l in _list)
            for (int p = l * dim; p < (l + 1) * dim; p++) s += _x[p] * other._x[p];
        return s;
    }

    public void Clear()
    {
        if (_all) { Array.Clear(_x); Array.Clear(_touched); _all = false; }
        else foreach (int l in _list) { _x.AsSpan(l * dim, dim).Clear(); _touched[l] = false; }
        _list.Clear();
    }

    private void Touch(int level)
    {
        if (_all || _touched[level]) return;
        _touched[level] = true;
        _list.Add(level);
    }

    private void TouchAll()
    {
        if (_all) return;
        _all = true;
        _list.Clear();
        for (int l = 0; l < levels; l++) { _touched[l] = true; _list.Add(l); }
    }

    public void Set(int position, double value)
    {
        Touch(position / dim);
        _x[position] = value;
    }

    /// <summary>y −= B x for this x, using only its touched column groups.</summary>
    public void MultiplySubtractInto(Block b, SparseColumn y)
    {
        if (_list.Count == 0) return;
        switch (b)
        {
            case SparseBlock s:
            {
                int r = s.RowDim, k = s.ColDim;
                foreach (int col in _list)
                    for (int e = s.ColStart[col]; e < s.ColStart[col + 1]; e++)
                    {
                        var sub = s.Sub(e);
                        int rowLevel = s.RowLevel[e], row0 = rowLevel * r;
                        y.Touch(rowLevel);
                        for (int p = 0; p < k; p++)
                        {
                            double xv = _x[col * k + p];
                            if (xv == 0) continue;
                            for (int a = 0; a < r; a++) y._x[row0 + a] -= sub[p * r + a] * xv;
                        }
                    }
                return;
            }
            case DenseBlock d:
                y.TouchAll();
                foreach (int col in _list)
                    for (int p = 0; p < dim; p++)
                    {
                        int j = col * dim + p;
                        if (_x[j] != 0) DenseKernels.Axpy(-_x[j], d.Column(j), y._x);
                    }
                return;
            default:
                y.TouchAll();
                BlockVectorOps.MultiplySubtract(b, _x, y._x);
                return;
        }
    }

    /// <summary>Solves L x = b in place for a factored diagonal block, touching only the levels a block-diagonal L keeps apart.</summary>
    public void SolveLower(Block l)
    {
        if (_list.Count == 0) return;
        if (l is BlockDiagonalBlock bd)
        {
            foreach (int lev in _list) DenseKernels.SolveLower(bd.Sub(lev), bd.Size, bd.Size, _x.AsSpan(lev * bd.Size, bd.Size));
            return;
        }
        TouchAll();
        BlockVectorOps.SolveLower(l, _x);
    }
}

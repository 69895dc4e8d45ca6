using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

public sealed partial class LmmWorkspace
{
    /// <summary>
    /// The conditional covariance of the random effects given the data, per term and level, divided by σ²:
    /// the d × d diagonal blocks of Λ (L_Z L_Z')⁻¹ Λ' (lme4's <c>condVar</c>), row-major within a level.
    /// Each level's column of L_Z⁻¹ is found by a forward substitution that follows its nonzero levels block by block
    /// (a block-diagonal or block-sparse factor keeps it sparse), so a nested or single-term design costs O(q), not
    /// one dense solve of length q per level.
    /// </summary>
    public double[][] ConditionalVariances()
    {
        RequireFactored();
        var result = new double[_k][];
        int maxD = _dims.Length == 0 ? 0 : _dims.Max();
        // one sparse vector per column a of a level's d columns, per block
        var x = new SparseColumn[maxD][];
        for (int a = 0; a < maxD; a++)
        {
            x[a] = new SparseColumn[_k];
            for (int i = 0; i < _k; i++) x[a][i] = new SparseColumn(_levels[i], _dims[i]);
        }
        for (int j = 0; j < _k; j++)
        {
            int d = _dims[j], l = _levels[j];
            var res = new double[l * d * d];
            var v = new double[d * d];
            var t = _t[j];
            for (int lev = 0; lev < l; lev++)
            {
                for (int a = 0; a < d; a++)
                {
                    for (int i = j; i < _k; i++) x[a][i].Clear();
                    Forward(j, lev * d + a, x[a]);
                }
                for (int a = 0; a < d; a++)
                    for (int b = 0; b <= a; b++)
                    {
                        double s = 0;
                        for (int i = j; i < _k; i++) s += x[a][i].Dot(x[b][i]);
                        v[a * d + b] = s;
                        v[b * d + a] = s;
                    }
                // T V T'
                for (int r = 0; r < d; r++)
                    for (int c = 0; c < d; c++)
                    {
                        double acc = 0;
                        for (int a = 0; a <= r; a++)
                            for (int b = 0; b <= c; b++) acc += t[a * d + r] * v[a * d + b] * t[b * d + c];
                        res[lev * d * d + r * d + c] = acc;
                    }
            }
            result[j] = res;
        }
        return result;
    }

    /// <summary>
    /// x = L_Z⁻¹ e_position (the unit vector in block <paramref name="start"/>), blocks start..k−1, touching only the
    /// levels that become nonzero.
    /// </summary>
    private void Forward(int start, int position, SparseColumn[] x)
    {
        x[start].Set(position, 1);
        for (int i = start; i < _k; i++)
        {
            var xi = x[i];
            for (int m = start; m < i; m++) x[m].MultiplySubtractInto(_l[i][m], xi);
            xi.SolveLower(_l[i][i]);
        }
    }
}

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

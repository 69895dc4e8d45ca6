
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

using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

public sealed partial class LmmWorkspace
{
    private DenseBlock XyFactor => (DenseBlock)_l[_k][_k];

    private void RequireFactored()
    {
        if (!_factored) throw new InvalidOperationException("evaluate the objective at some θ first");
    }

    /// <summary>σ̂² at the current θ: r²/(n−p) for REML, r²/n for ML.</summary>
    public double SigmaSquared() => _pwrss / (Reml ? _observations - _p : _observations);

    /// <summary>The fixed effects β̂(θ) at the current θ.</summary>
    public double[] Beta()
    {
        RequireFactored();
        var beta = new double[_p];
        Beta(beta);
        return beta;
    }

    /// <summary>Writes β̂(θ) into <paramref name="beta"/> (length p).</summary>
    public void Beta(Span<double> beta)
    {
        CentredBeta(beta);
        _centring.ToOriginal(beta);
    }

    /// <summary>β̂ in the workspace's coordinates, those of its centred X (β' = the factor's solution + γ).</summary>
    private void CentredBeta(Span<double> beta)
    {
        RequireFactored();
        FactorBeta(beta);
        for (int i = 0; i < _p; i++) beta[i] += _shift[i];
    }

    /// <summary>The factor's solution for β, L_X'⁻¹ c_X (the centred X's coordinates, without the response's shift γ).</summary>
    private void FactorBeta(Span<double> beta)
    {
        var lxy = XyFactor;
        int w = _p + 1;
        for (int i = 0; i < _p; i++) beta[i] = lxy.Data[i * w + _p];
        DenseKernels.SolveLowerTranspose(lxy.Data, w, _p, beta);
    }

    /// <summary>The spherical random effects û(θ), term by term (length q).</summary>
    public double[] SphericalModes()
    {
        RequireFactored();
        var beta = Beta();
        var u = new double[RandomEffectCount];
        SphericalModes(beta, u);
        return u;
    }

    /// <summary>
    /// The spherical random effects at the current θ for given fixed effects β: u = L_Z⁻ᵀ(c_u − L_ZX β), the
    /// minimizer of the penalized weighted residual sum of squares with β held (one PIRLS step of a GLMM when A
    /// holds the working response). Writes u (length q, term by term); allocates nothing.
    /// </summary>
    public void SphericalModes(ReadOnlySpan<double> beta, Span<double> u)
    {
        RequireFactored();
        if (_p > 0) beta = OriginalBetaToFactor(beta);
        FactorModes(beta, u);
    }

    /// <summary>u = L_Z⁻ᵀ(c_u − L_ZX β) for β in the factor's coordinates (centred X, without the response's shift).</summary>
    private void FactorModes(ReadOnlySpan<double> beta, Span<double> u)
    {
        int w = _p + 1, off = 0;
        for (int j = 0; j < _k; j++)
        {
            var lxj = (DenseBlock)_l[_k][j];
            int len = _levels[j] * _dims[j];
            var uj = u.Slice(off, len);
            for (int col = 0; col < len; col++)
            {
                double v = lxj.Data[col * w + _p];
                for (int i = 0; i < _p; i++) v -= beta[i] * lxj.Data[col * w + i];
                uj[col] = v;
            }
            off += len;
        }
        int end = off;
        for (int j = _k - 1; j >= 0; j--)
        {
            int len = _levels[j] * _dims[j];
            int start = end - len;
            var uj = u.Slice(start, len);
            int offI = end;
            for (int i = j + 1; i < _k; i++)
            {
                int li = _levels[i] * _dims[i];
                BlockVectorOps.TransposeMultiplySubtract(_l[i][j], u.Slice(offI, li), uj);
                offI += li;
            }
            BlockVectorOps.SolveLowerTranspose(_l[j][j], uj);
            end = start;
        }
    }

    /// <summary>The diagonal of L_Z at the current θ: for one scalar term, 1/L_ii is the conditional SD of u_i (adaptive quadrature's scale).</summary>
    internal double FactorDiagonal(int term, int index)
    {
        RequireFactored();
        return _l[term][term] switch
        {
            BlockDiagonalBlock { Size: 1 } bd => bd.Data[index],
            DenseBlock db => db.Data[index * db.Rows + index],
            _ => double.NaN,
        };
    }

    /// <summary>The conditional modes b̂ = Λ(θ) û of each term, as levels × d arrays (row-major by level).</summary>
    public double[][] ConditionalModes() => ConditionalModes(SphericalModes());

    /// <summary>b = Λ(θ) u at the current θ for given spherical random effects u, per term (levels × d, row-major).</summary>
    internal double[][] ConditionalModes(ReadOnlySpan<double> u)
    {
        var result = new double[_k][];
        for (int j = 0; j < _k; j++) result[j] = new double[_levels[j] * _dims[j]];
        ConditionalModes(u, result);
        return result;
    }

    /// <summary>b = Λ(θ) u into existing per-term arrays (levels × d, row-major); allocates nothing.</summary>
    internal void ConditionalModes(ReadOnlySpan<double> u, double[][] result)
    {
        int off = 0;
        for (int j = 0; j < _k; j++)
        {
            int d = _dims[j], l = _levels[j];
            var b = result[j];
            var t = _t[j];
            if (d == 1)
            {
                // A scalar term: b = θ u, level by level.
                double t0 = t[0];
                for (int lev = 0; lev < l; lev++) b[lev] = t0 * u[off + lev];
                off += l;
                continue;
            }
            for (int lev = 0; lev < l; lev++)
                for (int row = 0; row < d; row++)
                {
                    double acc = 0;
                    for (int c = 0; c <= row; c++) acc += t[c * d + row] * u[off + lev * d + c];
                    b[lev * d + row] = acc;
                }
            off += l * d;
        }
    }

    /// <summary>(L_X L_X')⁻¹ = the covariance of β̂ divided by σ² (p × p, row-major).</summary>
    public double[,] UnscaledCovariance()
    {
        RequireFactored();
        var lxy = XyFactor;
        int w = _p + 1, p = _p;
        var inv = new double[p, p];
        var e = new double[p];
        for (int c = 0; c < p; c++)
        {
            Array.Clear(e);
            e[c] = 1;
            DenseKernels.SolveLower(lxy.Data, w, p, e);
            DenseKernels.SolveLowerTranspose(lxy.Data, w, p, e);
            for (int r = 0; r < p; r++) inv[r, c] = e[r];
        }
        _centring.CovarianceToOriginal(inv);
        return inv;
    }

    /// <summary>Fitted values Xβ̂ + Zb̂ (+ offset) at the current θ.</summary>
    public double[] Fitted()
    {
        var b = ConditionalModes();
        // Xβ in the workspace's centred coordinates (X'β', exact for a covariate far from zero: X β would cancel).
        var beta = new double[_p];
        CentredBeta(beta);
        int n = _n;
        var x = XData;
        var fitted = new double[n];
        var off = _design.OffsetArray;
        if (off is not null) off.CopyTo(fitted, 0);
        for (int c = 0; c < _p; c++) DenseKernels.Axpy(beta[c], x.AsSpan(c * n, n), fitted);
        for (int j = 0; j < _k; j++)
        {
            var term = _design.RandomTerms[j];
            var codes = term.CodesArray;
            var z = term.ZArray;
            int d = _dims[j];
            var bj = b[j];
            for (int r = 0; r < n; r++)
            {
                double s = 0;
                int lev = codes[r];
                for (int a = 0; a < d; a++) s += z[r * d + a] * bj[lev * d + a];
                fitted[r] += s;
            }
        }
        return fitted;
    }
}

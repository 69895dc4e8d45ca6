namespace MixedModels.Robust;

internal sealed partial class RobustWorkspace
{
    private double[]? _tauE;

    /// <summary>False after θ changed: τ_e is recomputed (from the last value) when next asked for.</summary>
    public bool TauEValid { get; private set; }

    /// <summary>Warnings raised while computing τ (rlmer's "tau[i] > 1" and "reached max.it").</summary>
    public List<string> TauWarnings { get; } = [];

    /// <summary>
    /// τ_e, the scale of each residual's linear approximation (robustlmm's <c>tau_e()</c>): DASvar's direct
    /// approximation, or for DAStau the fixed point of its quadrature equation started from the last τ_e.
    /// </summary>
    public double[] TauE()
    {
        if (TauEValid && _tauE is not null) return _tauE;
        var s = new double[_n];
        for (int i = 0; i < _n; i++) s[i] = Math.Sqrt(Math.Max(0, Setup.Epsi2E * (_diagAAt[i] - _diagA[i] * _diagA[i]) + _hq[i]));
        if (_tauE is null || Setup.Method == RobustMethod.DASVar)
        {
            _tauE = new double[_n];
            for (int i = 0; i < _n; i++) _tauE[i] = Math.Sqrt(Math.Max(0, 1 - 2 * Setup.De * _diagA[i] + Setup.Epsi2E * _diagAAt[i] + _hq[i]));
        }
        if (Setup.Method == RobustMethod.DASTau)
            _tauE = Tau.Scalar(_diagA, s, Setup.RhoE, Setup.RhoSigmaE, Setup.KappaE, _tauE, TauWarnings);
        TauEValid = true;
        return _tauE;
    }

    /// <summary>
    /// robustlmm's <c>.s(theta = TRUE)</c>: per random effect j, √(E[ψ_e²] (KK')_jj + Σ_{l≠j} L_jl² E₂_l), the scale of
    /// the rest of its linear approximation.
    /// </summary>
    public double[] RandomEffectScales()
    {
        var s = new double[_q];
        for (int j = 0; j < _q; j++)
        {
            double v = Setup.Epsi2E * KKt(j, j);
            for (int l = 0; l < _q; l++) if (l != j) { double x = L(j, l); v += x * x * E2[l]; }
            s[j] = Math.Sqrt(Math.Max(0, v));
        }
        return s;
    }

    /// <summary>
    /// robustlmm's <c>Tb()</c> restricted to the diagonal block of level <paramref name="level"/> of term
    /// <paramref name="t"/>: I − L E₁ − (L E₁)' + E[ψ_e²] K K' + L E₂ L' (d × d, row-major).
    /// </summary>
    public double[] TbBlock(int t, int level)
    {
        int d = _termDim[t], at = _termOffset[t] + level * d;
        var block = new double[d * d];
        for (int a = 0; a < d; a++)
            for (int c = 0; c < d; c++)
            {
                int i = at + a, j = at + c;
                double v = (a == c ? 1 : 0) - L(i, j) * E1[j] - L(j, i) * E1[i] + Setup.Epsi2E * KKt(i, j);
                for (int l = 0; l < _q; l++) v += L(i, l) * E2[l] * L(j, l);
                block[a * d + c] = v;
            }
        return block;
    }

    /// <summary>
    /// robustlmm's <c>.S</c> for one level: the upper Cholesky factor of E[ψ_e²] K_k K_k' + L_{k,−k} E₂ L_{k,−k}'
    /// (d × d, row-major; the square roots of its diagonal when it is not positive definite, as robustlmm's lchol).
    /// </summary>
    public double[] SBlock(int t, int level)
    {
        int d = _termDim[t], at = _termOffset[t] + level * d;
        var block = new double[d, d];
        for (int a = 0; a < d; a++)
            for (int c = 0; c < d; c++)
            {
                int i = at + a, j = at + c;
                double v = Setup.Epsi2E * KKt(i, j);
                for (int l = 0; l < _q; l++)
                {
                    if (l >= at && l < at + d) continue;
                    v += L(i, l) * E2[l] * L(j, l);
                }
                block[a, c] = v;
            }
        return Tau.UpperCholeskyOrDiagonal(block);
    }

    /// <summary>The diagonal block of L for level <paramref name="level"/> of term <paramref name="t"/> (d × d, row-major).</summary>
    public double[] LBlock(int t, int level)
    {
        int d = _termDim[t], at = _termOffset[t] + level * d;
        var block = new double[d * d];
        for (int a = 0; a < d; a++)
            for (int c = 0; c < d; c++) block[a * d + c] = L(at + a, at + c);
        return block;
    }
}

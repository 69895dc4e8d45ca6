namespace MixedModels.Robust;

internal sealed partial class RobustWorkspace
{
    /// <summary>The residuals y − Xβ − ZΛb_s at the current estimates.</summary>
    public double[] Residuals()
    {
        var res = new double[_n];
        for (int i = 0; i < _n; i++) res[i] = _y[i] - RowDot(i);
        return res;
    }

    private double RowDot(int i)
    {
        int at = i * _r;
        double s = 0;
        for (int a = 0; a < _r; a++)
        {
            int c = _cols[at + a];
            s += _w[at + a] * (c < _p ? Beta[c] : Bs[c - _p]);
        }
        return s;
    }

    /// <summary>True for a random effect whose diagonal element of Λ is 0 (robustlmm's <c>zeroB</c>).</summary>
    public bool[] ZeroB()
    {
        var zero = new bool[_q];
        for (int t = 0; t < TermCount; t++)
        {
            int d = _termDim[t];
            var lam = LambdaBlock(t);
            for (int j = 0; j < TermLevels(t) * d; j++) zero[_termOffset[t] + j] = lam[(j % d) * d + j % d] == 0;
        }
        return zero;
    }

    /// <summary>
    /// The distances of the random effects from 0 (robustlmm's <c>.dk</c>, not centred) for spherical effects
    /// <paramref name="bs"/>: b_s/σ for a scalar term, the squared norm of a level's b_s/σ (repeated for each of its
    /// effects) for a term of dimension s &gt; 1.
    /// </summary>
    public double[] Distances(ReadOnlySpan<double> bs, double sigma)
    {
        var dist = new double[_q];
        for (int t = 0; t < TermCount; t++)
        {
            int d = _termDim[t], off = _termOffset[t];
            for (int level = 0; level < TermLevels(t); level++)
            {
                int at = off + level * d;
                if (d == 1) { dist[at] = bs[at] / sigma; continue; }
                double ss = 0;
                for (int c = 0; c < d; c++) { double u = bs[at + c] / sigma; ss += u * u; }
                for (int c = 0; c < d; c++) dist[at + c] = ss;
            }
        }
        return dist;
    }

    /// <summary>The robustness weights of the residuals, ρ_e's w(r/σ) (robustlmm's <c>wgt.e</c>).</summary>
    public double[] ResidualWeights()
    {
        var res = Residuals();
        for (int i = 0; i < _n; i++) res[i] = Setup.RhoE.Weight(res[i] / Sigma);
        return res;
    }

    /// <summary>The robustness weights of the random effects, ρ_b's weight of their distances (robustlmm's <c>wgt.b</c>).</summary>
    public double[] RandomEffectWeights()
    {
        var dist = Distances(Bs, Sigma);
        for (int t = 0; t < TermCount; t++)
        {
            var rho = Setup.Terms[t].RhoB;
            int off = _termOffset[t], count = TermLevels(t) * _termDim[t];
            for (int j = off; j < off + count; j++) dist[j] = rho.Weight(dist[j]);
        }
        return dist;
    }

    private Estimation.LmmWorkspace? _effects;
    private double[]? _penalty;

    /// <summary>
    /// Fits β and b_s at the current θ and σ by iteratively reweighted least squares (robustlmm's <c>fitEffects</c>):
    /// (W' W_e W + diag(0, Λ_b W_b)) (β, b_s) = W' W_e y with the robustness weights of the current estimates, until
    /// the estimates change by less than 1e-8 of their size (at most 1000 iterations). Each step is a penalized
    /// least-squares solve of the linear mixed model's blocked workspace, reweighted in place with the observation
    /// weights and with the random effects' weights as its penalty, so the step costs what an lmer evaluation does.
    /// </summary>
    public int FitEffects(double relTol = 1e-8, int maxIter = 1000)
    {
        var zero = ZeroB();
        for (int j = 0; j < _q; j++) if (zero[j]) Bs[j] = 0;
        _effects ??= new Estimation.LmmWorkspace(_design, reml: true);
        _penalty ??= new double[_q];
        var par = new double[_m];
        var next = new double[_m];
        Beta.CopyTo(par, 0);
        Bs.CopyTo(par, _p);
        int iter = 0;
        bool converged = false;
        while (!converged && iter < maxIter)
        {
            iter++;
            var we = ResidualWeights();
            var wb = RandomEffectWeights();
            for (int j = 0; j < _q; j++) _penalty[j] = Math.Max(LambdaB[j] * wb[j], 1e-300);
            _effects.Reweight(we, _y);
            _effects.SetPenaltyWeights(_penalty);
            _effects.SetTheta(Theta);
            _effects.Beta(next.AsSpan(0, _p));
            _effects.SphericalModes(next.AsSpan(0, _p), next.AsSpan(_p, _q));
            for (int j = 0; j < _q; j++) if (zero[j]) next[_p + j] = 0;
            double change = 0, size = 0;
            for (int j = 0; j < _m; j++) { change += Math.Abs(par[j] - next[j]); size += Math.Abs(par[j]); }
            converged = change < relTol * size;
            (par, next) = (next, par);
            Array.Copy(par, 0, Beta, 0, _p);
            Array.Copy(par, _p, Bs, 0, _q);
        }
        return iter;
    }

    /// <summary>
    /// robustlmm's <c>unsc()</c>, the fixed effects' covariance divided by σ²: E[ψ_e²]/E[ψ_e'] (M_BB − E[ψ_e'] M_bB'M_bB)
    /// + M_bB' Λ_b E₂ Λ_b M_bB, symmetrized.
    /// </summary>
    public double[,] UnscaledCovariance()
    {
        var u = new double[_p, _p];
        double c = Setup.Epsi2E / Setup.De;
        for (int a = 0; a < _p; a++)
            for (int b = 0; b < _p; b++)
            {
                double s1 = 0, s2 = 0;
                for (int j = 0; j < _q; j++)
                {
                    double ga = G(_p + j, a), gb = G(_p + j, b);
                    s1 += ga * gb;
                    s2 += ga * LambdaB[j] * LambdaB[j] * E2[j] * gb;
                }
                u[a, b] = c * (G(a, b) - Setup.De * s1) + s2;
            }
        for (int a = 0; a < _p; a++)
            for (int b = 0; b < a; b++) u[a, b] = u[b, a] = (u[a, b] + u[b, a]) / 2;
        return u;
    }

    /// <summary>The conditional modes b = Λ b_s of term t (levels × d, row-major).</summary>
    public double[] Modes(int t)
    {
        int d = _termDim[t], off = _termOffset[t], levels = TermLevels(t);
        var lam = LambdaBlock(t);
        var b = new double[levels * d];
        for (int level = 0; level < levels; level++)
            for (int a = 0; a < d; a++)
            {
                double s = 0;
                for (int c = 0; c <= a; c++) s += lam[a * d + c] * Bs[off + level * d + c];
                b[level * d + a] = s;
            }
        return b;
    }
}

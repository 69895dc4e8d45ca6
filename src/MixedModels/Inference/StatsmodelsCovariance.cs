using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>
/// Python statsmodels' MixedLM standard errors for a linear mixed model with one random-effects term: the inverse of
/// the negative Hessian of its log-likelihood (REML or ML, the residual variance profiled out) in its parameters —
/// the fixed effects β and the lower triangle of Ψ, the random effects' covariance relative to the residual
/// variance — taken jointly (so the fixed effects' errors need not equal the usual (X'V⁻¹X)⁻¹σ²). The summary shows a
/// covariance element's error as √scale × that of its relative element, as statsmodels does. The Hessian is taken by
/// central differences of the log-likelihood, evaluated from the fit's factorization at each point.
/// </summary>
internal static class StatsmodelsCovariance
{
    /// <summary>Standard errors of β (in the model's order) and of Ψ's lower triangle (row by row), statsmodels' bse.</summary>
    public static (double[] Fixed, double[] Relative) StandardErrors(LinearMixedModel model)
    {
        var term = model.Design.RandomTerms[0];
        // Ψ is taken in the data's coordinates and θ rebuilt from it, which a term centred for the fit does not allow.
        if (term.IsCentred) throw new ModelException("--style statsmodels: a random-slope covariate far from zero was centred for the fit; centre it in the data to compare with statsmodels");
        int k = model.FixedEffects.Count, q = term.Dimension, m = q * (q + 1) / 2;
        var ws = model.CreateWorkspace();
        // Ψ, the covariance relative to the residual variance (statsmodels' cov_re / scale), row by row.
        var component = model.VarianceComponents[0];
        double sigma2 = model.Sigma * model.Sigma;
        var psi = new double[m];
        for (int i = 0, a = 0; i < q; i++)
            for (int j = 0; j <= i; j++, a++) psi[a] = component.Covariance(i, j) / sigma2;
        var p0 = model.FixedEffects.Select(f => f.Estimate).Concat(psi).ToArray();
        var step = new double[p0.Length];
        for (int i = 0; i < k; i++) step[i] = 1e-3 * model.FixedEffects[i].StandardError;
        for (int i = 0, a = 0; i < q; i++)
            for (int j = 0; j <= i; j++, a++) step[k + a] = 1e-3 * Math.Max(Math.Sqrt(psi[Index(i, i)] * psi[Index(j, j)]), 1e-8);
        double LogLik(double[] p) => Evaluate(ws, model, p, k, q);
        int d = p0.Length;
        var h = new double[d, d];
        double f0 = LogLik(p0);
        var x = (double[])p0.Clone();
        for (int i = 0; i < d; i++)
        {
            x[i] = p0[i] + step[i]; double fp = LogLik(x);
            x[i] = p0[i] - step[i]; double fm = LogLik(x);
            x[i] = p0[i];
            h[i, i] = (fp - 2 * f0 + fm) / (step[i] * step[i]);
            for (int j = 0; j < i; j++)
            {
                double Corner(double si, double sj) { x[i] = p0[i] + si; x[j] = p0[j] + sj; double v = LogLik(x); x[i] = p0[i]; x[j] = p0[j]; return v; }
                h[i, j] = h[j, i] = (Corner(step[i], step[j]) - Corner(step[i], -step[j]) - Corner(-step[i], step[j]) + Corner(-step[i], -step[j]))
                    / (4 * step[i] * step[j]);
            }
        }
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) h[i, j] = -h[i, j];
        var cov = LinearAlgebra.SmallMatrix.Inverse(h);
        var se = Enumerable.Range(0, d).Select(i => cov is not null && cov[i, i] > 0 ? Math.Sqrt(cov[i, i]) : double.NaN).ToArray();
        ws.SetTheta(model.Theta.ToArray());
        return (se[..k], se[k..]);
    }

    private static int Index(int i, int j) => i * (i + 1) / 2 + j;

    /// <summary>statsmodels' profiled log-likelihood (less constants) at β and Ψ's lower triangle; −∞ where Ψ is not positive definite.</summary>
    private static double Evaluate(Estimation.LmmWorkspace ws, LinearMixedModel model, double[] p, int k, int q)
    {
        var theta = new double[q * (q + 1) / 2];
        var l = new double[q * q];
        for (int i = 0; i < q; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = p[k + Index(i, j)];
                for (int r = 0; r < j; r++) s -= l[i * q + r] * l[j * q + r];
                if (i == j)
                {
                    if (s <= 0) return double.NegativeInfinity;
                    l[i * q + i] = Math.Sqrt(s);
                }
                else l[i * q + j] = s / l[j * q + j];
            }
        // lme4's θ: the lower triangle column by column.
        for (int j = 0, a = 0; j < q; j++) for (int i = j; i < q; i++) theta[a++] = l[i * q + j];
        ws.SetTheta(theta);
        var betaHat = ws.Beta();
        var unscaled = ws.UnscaledCovariance();
        var a2 = LinearAlgebra.SmallMatrix.Inverse(unscaled);
        if (a2 is null) return double.NaN;
        double qf = ws.PenalizedRss;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) qf += (p[i] - betaHat[i]) * a2[i, j] * (p[j] - betaHat[j]);
        int n = model.Observations;
        return model.Reml
            ? -(n - k) / 2.0 * Math.Log(qf) - 0.5 * ws.LogDetZ - 0.5 * ws.LogDetX
            : -n / 2.0 * Math.Log(qf) - 0.5 * ws.LogDetZ;
    }
}

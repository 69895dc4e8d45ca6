namespace MixedModels.Robust;

internal static partial class RobustFitter
{
    private const string NotConverged = "iterations did not converge, returning unconverged estimate.";

    /// <summary>rlmer's <c>rlmer.fit.DAS</c> for scalar terms only: θ by <see cref="UpdateThetaScalar"/> until Σ|Δθ| &lt; 200·rel.tol·Σ|θ|.</summary>
    private static (int Iterations, bool Converged) FitDiagonal(RobustWorkspace ws, RobustFitOptions options, int maxIter, List<string> warnings)
    {
        double relTol = options.RelativeTolerance;
        var theta0 = (double[])ws.Theta.Clone();
        bool converged = false;
        int iter = 0;
        while (!converged && iter < maxIter)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            iter++;
            UpdateThetaScalar(ws, maxIter, relTol / 10);
            var theta1 = (double[])ws.Theta.Clone();
            double change = 0, size = 0;
            for (int i = 0; i < theta1.Length; i++) { change += Math.Abs(theta0[i] - theta1[i]); size += Math.Abs(theta0[i]); }
            converged = theta1.All(v => v == 0) || change < 200 * relTol * size;
            theta0 = theta1;
        }
        if (iter == maxIter) warnings.Add(NotConverged);
        return (iter, converged);
    }

    /// <summary>
    /// rlmer's <c>updateThetaTau</c>: per scalar term the DAS scale δ of its standardized effects, δ ← √(Σ w u² /
    /// Σ w τ² / κ_b) with w = wσ_b(u/(τδ)); θ ← θ·δ, effects refitted, σ updated.
    /// </summary>
    private static void UpdateThetaScalar(RobustWorkspace ws, int maxIter, double relTol)
    {
        var tau = ScalarTaus(ws);
        double sigma = ws.Sigma;
        var delta = new double[ws.Theta.Length];
        for (int t = 0; t < ws.TermCount; t++)
        {
            var term = ws.Setup.Terms[t];
            int off = ws.TermOffset(t), count = ws.TermLevels(t);
            var us = new double[count];
            bool allZero = true;
            for (int j = 0; j < count; j++) { us[j] = ws.Bs[off + j] / sigma; if (Math.Abs(us[j]) >= 1e-7) allZero = false; }
            if (allZero) { delta[t] = 0; continue; }
            double d0 = 1, d = 1;
            bool conv = false;
            int it = 0;
            while (!conv && ++it <= maxIter)
            {
                double num = 0, den = 0;
                for (int j = 0; j < count; j++)
                {
                    double tj = tau[off + j];
                    double w = term.RhoSigmaB.Weight(us[j] / tj / d0);
                    num += w * us[j] * us[j];
                    den += w * tj * tj;
                }
                d = Math.Sqrt(num / den / term.Constants.Kappa);
                conv = Math.Abs(d - d0) < relTol * Math.Max(relTol, d0);
                d0 = d;
            }
            if (it >= maxIter) ws.TauWarnings.Add("theta iterations did not converge. Returning unconverged estimates");
            delta[t] = d;
        }
        var next = new double[delta.Length];
        for (int i = 0; i < next.Length; i++) next[i] = ws.Theta[i] * Math.Max(0, delta[i]);
        SetTheta(ws, next, fitEffects: true);
        UpdateSigma(ws, fitEffects: false);
    }

    /// <summary>τ_b per random effect of scalar terms: DAStau's quadrature fixed point from 1, or DASvar's √diag(T_b).</summary>
    private static double[] ScalarTaus(RobustWorkspace ws)
    {
        var tau = new double[ws.Q];
        var zero = ws.ZeroB();
        var s = ws.Setup.Method == RobustMethod.DASTau ? ws.RandomEffectScales() : [];
        for (int t = 0; t < ws.TermCount; t++)
        {
            int off = ws.TermOffset(t), count = ws.TermLevels(t);
            if (zero[off]) continue;
            if (ws.Setup.Method == RobustMethod.DASVar)
            {
                for (int j = 0; j < count; j++) tau[off + j] = Math.Sqrt(ws.TbBlock(t, j)[0]);
                continue;
            }
            var term = ws.Setup.Terms[t];
            var a = new double[count];
            for (int j = 0; j < count; j++) a[j] = ws.L(off + j, off + j);
            var taus = Tau.Scalar(a, s.AsSpan(off, count), term.RhoB, term.RhoSigmaB, term.Constants.Kappa, [], ws.TauWarnings);
            Array.Copy(taus, 0, tau, off, count);
        }
        return tau;
    }
}

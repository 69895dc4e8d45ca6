using MixedModels.LinearAlgebra;

namespace MixedModels.Robust;

internal static partial class RobustFitter
{
    /// <summary>
    /// rlmer's <c>rlmer.fit.DAS.nondiag</c>, for models with a correlated block: each iteration computes T (DASvar's
    /// T_b, or DAStau's per-level fixed points), the weights of the T-standardized effects, and per term the update
    /// Λ ← Λ (R_rhs⁻¹ R_lhs)' that matches the weighted second moments of b_s/σ (lhs) to the weighted mean T (rhs);
    /// then refits the effects and σ. Tolerance √rel.tol, as rlmer.
    /// </summary>
    private static (int Iterations, bool Converged) FitBlocks(RobustWorkspace ws, RobustFitOptions options, int maxIter, List<string> warnings)
    {
        double relTol = Math.Sqrt(options.RelativeTolerance);
        int terms = ws.TermCount;
        var convTerms = new bool[terms];
        var falseConvergence = new bool[terms];
        bool conv = false;
        int iter = 0;
        double[][]? cachedT = null, previousT = null;   // per random-effect block (term, level): d × d row-major
        double lastChange = double.PositiveInfinity;     // Σ|Δθ| of the last iteration
        while (!conv && ++iter < maxIter)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            var thetaTilde = (double[])ws.Theta.Clone();
            double sigma = ws.Sigma;
            var tBlocks = ws.Setup.Method == RobustMethod.DASVar ? TbBlocks(ws) : TauBlocks(ws, WarmStart(cachedT, previousT) ?? TbBlocks(ws), maxIter, relTol, InnerTolerance(relTol, lastChange));
            for (int b = 0; b < tBlocks.Length; b++) tBlocks[b] = Symmetrize(tBlocks[b]);
            previousT = cachedT;
            cachedT = tBlocks;
            var zero = ws.ZeroB();
            if (zero.All(z => z)) break;
            // T-standardized effects: per level L_T⁻¹ b_s with T = L_T L_T', on the effects whose variance is not 0
            // (robustlmm's T[idx, idx]); the others stay 0.
            var tbs = new double[ws.Q];
            int blockIndex = 0;
            for (int t = 0; t < terms; t++)
            {
                int d = ws.TermDimension(t), off = ws.TermOffset(t);
                for (int level = 0; level < ws.TermLevels(t); level++, blockIndex++)
                {
                    int at = off + level * d;
                    var keep = Enumerable.Range(0, d).Where(a => !zero[at + a]).ToArray();
                    if (keep.Length == 0) continue;
                    var tb = tBlocks[blockIndex];
                    int e = keep.Length;
                    var sub = new double[e * e];
                    for (int a = 0; a < e; a++) for (int c = 0; c < e; c++) sub[a * e + c] = tb[keep[a] * d + keep[c]];
                    for (int a = 0; a < e; a++)
                        if (sub[a * e + a] == 0)
                            throw new ModelException($"Covariance matrix for random effects block {t + 1} with grouping factor {ws.Design.TermsArray[t].GroupName} is singular. Please simplify the model and run again.");
                    var lt = CholeskyLowerRowMajor(sub, e)
                        ?? throw new ModelException($"the robust fit's T matrix of {ws.Design.TermsArray[t].GroupName} level {ws.Design.TermsArray[t].Levels[level]} is not positive definite");
                    var solved = new double[e];
                    for (int a = 0; a < e; a++)
                    {
                        double s = ws.Bs[at + keep[a]];
                        for (int c = 0; c < a; c++) s -= lt[a * e + c] * solved[c];
                        solved[a] = s / lt[a * e + a];
                    }
                    for (int a = 0; a < e; a++) tbs[at + keep[a]] = solved[a];
                }
            }
            var db = ws.Distances(tbs, sigma);
            var wEta = new double[ws.Q];
            var wDelta = new double[ws.Q];
            for (int t = 0; t < terms; t++)
            {
                var term = ws.Setup.Terms[t];
                int d = ws.TermDimension(t), off = ws.TermOffset(t), count = ws.TermLevels(t) * d;
                double kappa = term.Constants.Kappa;
                for (int j = off; j < off + count; j++)
                {
                    if (d > 1)
                    {
                        wEta[j] = term.RhoSigmaB.Weight(db[j]);
                        wDelta[j] = (term.RhoSigmaB.Psi(db[j]) - term.RhoSigmaB.Psi(db[j] - d * kappa)) / d;
                    }
                    else
                    {
                        double lw = term.RhoSigmaB.Weight(db[j]);
                        wEta[j] = lw;
                        wDelta[j] = lw * kappa;
                    }
                }
            }
            blockIndex = 0;
            for (int t = 0; t < terms; t++)
            {
                int d = ws.TermDimension(t), off = ws.TermOffset(t), levels = ws.TermLevels(t);
                int first = blockIndex;
                blockIndex += levels;
                if (convTerms[t]) continue;
                int thetaOff = ws.ThetaOffset(t);
                bool allSmall = true;
                for (int j = off; j < off + levels * d; j++) if (Math.Abs(Math.Sqrt(wEta[j]) * ws.Bs[j]) >= 1e-7) allSmall = false;
                if (allSmall)
                {
                    for (int j = 0; j < d * (d + 1) / 2; j++) thetaTilde[thetaOff + j] = 0;
                    convTerms[t] = true;
                    continue;
                }
                var rhs = new double[d, d];
                var lhs = new double[d, d];
                for (int level = 0; level < levels; level++)
                {
                    var tb = tBlocks[first + level];
                    int at = off + level * d;
                    for (int a = 0; a < d; a++)
                    {
                        double ua = Math.Sqrt(wEta[at + a]) * ws.Bs[at + a] / sigma;
                        for (int c = 0; c < d; c++)
                        {
                            rhs[a, c] += wDelta[at + a] * tb[a * d + c];
                            lhs[a, c] += ua * Math.Sqrt(wEta[at + c]) * ws.Bs[at + c] / sigma;
                        }
                    }
                }
                double maxDiff = 0;
                for (int a = 0; a < d; a++)
                    for (int c = 0; c < d; c++)
                    {
                        rhs[a, c] /= levels;
                        lhs[a, c] /= levels;
                        maxDiff = Math.Max(maxDiff, Math.Abs(rhs[a, c] - lhs[a, c]));
                    }
                double bound = relTol * Math.Max(maxDiff, relTol);
                bool satisfied = true;
                double sumDiff = 0;
                for (int a = 0; a < d; a++)
                    for (int c = 0; c < d; c++) { double e = Math.Abs(rhs[a, c] - lhs[a, c]); sumDiff += e; if (!(e < bound)) satisfied = false; }
                if (satisfied) { convTerms[t] = true; continue; }
                var rr = Tau.UpperCholeskyOrDiagonal(rhs);
                var rl = Tau.UpperCholeskyOrDiagonal(lhs);
                var deltaT = SolveUpper(rr, rl, d);
                // Λ_new = Λ deltaT' (lower triangular), read back in θ's column-major order.
                var lam = ws.LambdaBlock(t);
                for (int a = 0; a < d; a++) for (int c = 0; c <= a; c++) lam[a * d + c] = thetaTilde[ThetaIndex(thetaOff, d, a, c)];
                var next = new double[d * d];
                for (int a = 0; a < d; a++)
                    for (int c = 0; c < d; c++)
                    {
                        double s = 0;
                        for (int e = 0; e < d; e++) s += lam[a * d + e] * deltaT[c * d + e];
                        next[a * d + c] = s;
                    }
                bool dropped = true;
                for (int c = 0; c < d; c++) if (!(next[c * d + c] < 1e-7)) dropped = false;
                for (int a = 0; a < d; a++) for (int c = 0; c <= a; c++) thetaTilde[ThetaIndex(thetaOff, d, a, c)] = dropped ? 0 : next[a * d + c];
                if (dropped) { convTerms[t] = true; continue; }
                double sum = 0, largest = 0;
                for (int j = 0; j < d * (d + 1) / 2; j++)
                {
                    double e = Math.Abs(thetaTilde[thetaOff + j] - ws.Theta[thetaOff + j]);
                    sum += e;
                    largest = Math.Max(largest, e);
                }
                if (sum < relTol * Math.Max(largest, relTol))
                {
                    convTerms[t] = true;
                    if (sumDiff > Math.Sqrt(relTol)) falseConvergence[t] = true;
                }
            }
            lastChange = 0;
            for (int j = 0; j < thetaTilde.Length; j++) lastChange += Math.Abs(thetaTilde[j] - ws.Theta[j]);
            SetTheta(ws, thetaTilde, fitEffects: true, EffectsTolerance(lastChange));
            UpdateSigma(ws, fitEffects: false);
            if (convTerms.All(c => c)) conv = true;
        }
        if (iter == maxIter) warnings.Add(NotConverged);
        if (falseConvergence.Any(f => f)) warnings.Add("algorithm converged, but estimating equations are not satisfied.");
        return (iter, conv && !falseConvergence.Any(f => f));
    }

    /// <summary>
    /// How closely DAStau's per-level T are solved: robustlmm's (relTol², 1e-8) once θ moves by little, looser while
    /// θ still moves (a thousandth of its last change, at most 1e-6): far from the solution an exact T does not change
    /// where θ goes next, and the last iterations solve T as robustlmm does.
    /// </summary>
    private static double InnerTolerance(double relTol, double lastChange) =>
        double.IsFinite(lastChange) ? Math.Clamp(1e-3 * lastChange, relTol * relTol, 1e-6) : relTol * relTol;

    /// <summary>
    /// The relative tolerance of the effects' IRWLS: fitEffects' 1e-8 once θ moves by little, looser (a tenth of θ's
    /// relative change, at most 1e-5) while θ still moves; the last iterations fit the effects as robustlmm does.
    /// </summary>
    private static double EffectsTolerance(double lastChange) => Math.Clamp(0.1 * lastChange, 1e-8, 1e-5);

    /// <summary>
    /// The start of DAStau's per-level fixed points: the last T moved on by its last change (T changes smoothly from one
    /// iteration to the next, so the start is nearer the new fixed point than the last T is); the last T where the step
    /// would leave the positive definite matrices. The fixed point and its stopping rule are robustlmm's.
    /// </summary>
    private static double[][]? WarmStart(double[][]? last, double[][]? before)
    {
        if (last is null || before is null) return last;
        var start = new double[last.Length][];
        for (int b = 0; b < last.Length; b++)
        {
            var t = last[b];
            if (t.Length != 4 || before[b].Length != 4) { start[b] = t; continue; }
            double[] next = [2 * t[0] - before[b][0], 2 * t[1] - before[b][1], 2 * t[2] - before[b][2], 2 * t[3] - before[b][3]];
            start[b] = next[0] > 0 && next[3] > 0 && next[0] * next[3] > next[1] * next[2] ? next : t;
        }
        return start;
    }

    /// <summary>The position in θ of element (row, col) of a term's lower-triangular Λ block (column-major lower triangle).</summary>
    private static int ThetaIndex(int offset, int d, int row, int col)
    {
        int idx = offset;
        for (int c = 0; c < col; c++) idx += d - c;
        return idx + row - col;
    }

    private static double[][] TbBlocks(RobustWorkspace ws)
    {
        var result = new List<double[]>();
        for (int t = 0; t < ws.TermCount; t++)
            for (int level = 0; level < ws.TermLevels(t); level++) result.Add(ws.TbBlock(t, level));
        return [.. result];
    }

    private static double[] Symmetrize(double[] block)
    {
        int d = (int)Math.Round(Math.Sqrt(block.Length));
        var s = new double[block.Length];
        for (int a = 0; a < d; a++) for (int c = 0; c < d; c++) s[a * d + c] = (block[a * d + c] + block[c * d + a]) / 2;
        return s;
    }

    private static double[]? CholeskyLowerRowMajor(double[] block, int d)
    {
        var m = new double[d, d];
        for (int a = 0; a < d; a++) for (int c = 0; c < d; c++) m[a, c] = block[a * d + c];
        var l = SmallMatrix.CholeskyLower(m);
        if (l is null) return null;
        var r = new double[d * d];
        for (int a = 0; a < d; a++) for (int c = 0; c < d; c++) r[a * d + c] = l[a, c];
        return r;
    }

    /// <summary>R⁻¹ B for upper triangular R (row-major d × d).</summary>
    private static double[] SolveUpper(double[] r, double[] b, int d)
    {
        var x = new double[d * d];
        for (int col = 0; col < d; col++)
            for (int row = d - 1; row >= 0; row--)
            {
                double s = b[row * d + col];
                for (int e = row + 1; e < d; e++) s -= r[row * d + e] * x[e * d + col];
                x[row * d + col] = s / r[row * d + row];
            }
        return x;
    }
}

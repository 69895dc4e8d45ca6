namespace MixedModels.Robust;

internal static partial class RobustFitter
{
    /// <summary>
    /// DAStau's T per level (robustlmm's <c>calcTau.nondiag</c>): τ² for scalar terms (quadrature fixed point from
    /// 1), the 2 × 2 fixed point of <see cref="Tau.Block2"/> for correlated pairs started from the last T — computed
    /// again only when a level's L_kk or S_k differs from the previous level's; zero blocks for a dropped term.
    /// </summary>
    private static double[][] TauBlocks(RobustWorkspace ws, double[][] start, int maxIter, double relTol, double tolerance)
    {
        var result = new double[start.Length][];
        var zero = ws.ZeroB();
        var scales = ws.RandomEffectScales();
        int block = 0;
        for (int t = 0; t < ws.TermCount; t++)
        {
            var term = ws.Setup.Terms[t];
            int d = ws.TermDimension(t), off = ws.TermOffset(t), levels = ws.TermLevels(t);
            bool dropped = true;
            for (int j = off; j < off + levels * d; j++) if (!zero[j]) dropped = false;
            if (dropped)
            {
                for (int level = 0; level < levels; level++) result[block++] = new double[d * d];
                continue;
            }
            if (d == 1)
            {
                var a = new double[levels];
                for (int j = 0; j < levels; j++) a[j] = ws.L(off + j, off + j);
                var tau = Tau.Scalar(a, scales.AsSpan(off, levels), term.RhoB, term.RhoSigmaB, term.Constants.Kappa, [], ws.TauWarnings);
                for (int j = 0; j < levels; j++) result[block++] = [tau[j] * tau[j]];
                continue;
            }
            if (d != 2) throw new InvalidOperationException("DAStau handles blocks of dimension 1 and 2 only");
            // Levels whose L_kk and S_k equal the previous level's share its T (robustlmm's check); the others are
            // computed independently, on both cores.
            var lks = new double[levels][];
            var sks = new double[levels][];
            var source = new int[levels];
            var unique = new List<int>();
            for (int level = 0; level < levels; level++)
            {
                lks[level] = ws.LBlock(t, level);
                sks[level] = ws.SBlock(t, level);
                int last = unique.Count == 0 ? -1 : unique[^1];
                if (last < 0 || Differs(sks[last], sks[level], lks[last], lks[level], relTol)) unique.Add(level);
                source[level] = unique[^1];
            }
            var computed = new double[levels][];
            var localWarnings = new List<string>[unique.Count];
            int first = block;
            Parallel.For(0, unique.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, u =>
            {
                int level = unique[u];
                localWarnings[u] = [];
                computed[level] = Tau.Block2(start[first + level], lks[level], sks[level], term.RhoB, term.RhoSigmaB, term.Constants.Kappa, maxIter, relTol, localWarnings[u], tolerance);
            });
            foreach (var w in localWarnings) ws.TauWarnings.AddRange(w);
            for (int level = 0; level < levels; level++) result[block++] = computed[source[level]];
        }
        return result;
    }

    private static bool Differs(double[] s0, double[] s1, double[] l0, double[] l1, double relTol)
    {
        var diff = s0.Zip(s1, (x, y) => Math.Abs(x - y)).Concat(l0.Zip(l1, (x, y) => Math.Abs(x - y))).ToArray();
        double bound = relTol * Math.Max(diff.Max(), relTol);
        return diff.Any(e => e >= bound);
    }
}

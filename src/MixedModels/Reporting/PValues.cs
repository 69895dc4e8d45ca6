using MixedModels.Formatting;
namespace MixedModels.Reporting;

/// <summary>R's <c>format.pval</c> and significance stars.</summary>
internal static class PValues
{
    private const double Eps = 2.220446049250313e-16;

    /// <summary>
    /// R's <c>format.pval(p, digits)</c>: p-values of at least 1e-3 (1e-4 when digits &gt; 1) formatted together,
    /// smaller ones together, and those below machine epsilon as <c>&lt; 2.2e-16</c>.
    /// </summary>
    public static string[] Format(double[] p, int digits)
    {
        var result = new string[p.Length];
        var fixp = new List<int>();
        var sci = new List<int>();
        var tiny = new List<int>();
        for (int i = 0; i < p.Length; i++)
        {
            if (double.IsNaN(p[i])) result[i] = "NA";
            else if (p[i] < Eps) tiny.Add(i);
            else if (Math.Floor(Math.Log10(p[i] > 0 ? p[i] : 1e-50)) is var expo && (expo >= -3 || (expo == -4 && digits > 1))) fixp.Add(i);
            else sci.Add(i);
        }
        void Fill(List<int> idx)
        {
            if (idx.Count == 0) return;
            var f = RFormat.Format(idx.Select(i => p[i]).ToArray(), digits);
            for (int k = 0; k < idx.Count; k++) result[idx[k]] = f[k];
        }
        Fill(fixp);
        Fill(sci);
        if (tiny.Count > 0)
        {
            int d = Math.Max(1, digits - 2);
            string sep;
            var others = fixp.Concat(sci).ToList();
            if (others.Count > 0)
            {
                int nc = others.Max(i => result[i].Length);
                if (d > 1 && d + 6 > nc) d = Math.Max(1, nc - 7);
                sep = d == 1 && nc <= 6 ? "" : " ";
            }
            else sep = d == 1 ? "" : " ";
            string s = "<" + sep + RFormat.Format(Eps, d);
            foreach (int i in tiny) result[i] = s;
        }
        return result;
    }

    /// <summary>The significance star of a p-value: *** &lt; 0.001 &lt; ** &lt; 0.01 &lt; * &lt; 0.05 &lt; . &lt; 0.1.</summary>
    public static string Stars(double p) => double.IsNaN(p) ? "" : p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : p < 0.1 ? "." : " ";
}

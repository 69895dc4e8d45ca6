using System.Text;
using MixedModels.Formatting;

namespace MixedModels.Reporting;

/// <summary>
/// robustbase's <c>summarizeRobWeights</c> as robustlmm's summary prints it (digits = 3): up to 10 weights printed,
/// otherwise the count of weights ≈ 1 (within 1e-3), of outliers (weight below 0.1/n) and a summary of the rest.
/// </summary>
internal static class RobustWeightSummary
{
    private const int Digits = 3;

    public static void Write(StringBuilder sb, string header, IReadOnlyList<double> w)
    {
        sb.Append(header).Append(" \n");
        int n = w.Count;
        if (n <= 10) { PrintVector(sb, w); return; }
        double eps = 0.1 / n, eps1 = 1e-3;
        var near1 = w.Select(x => Math.Abs(x - 1) < eps1).ToArray();
        var near0 = w.Select(x => Math.Abs(x) < eps).ToArray();
        int n1 = near1.Count(b => b), n0 = near0.Count(b => b);
        if (n0 > 0 || n1 > 0)
        {
            if (n0 > 0)
            {
                var i0 = Enumerable.Range(0, n).Where(i => near0[i]).ToArray();
                double maxw = i0.Max(i => w[i]);
                string c3 = "with |weight| " + (maxw == 0 ? "= 0" : "<= " + FormatC(maxw)) + " ( < " + FormatC(eps) + ");";
                string text;
                if (n0 > 1)
                {
                    string cc = $"{n0} observations c({string.Join(",", i0.Select(i => i + 1))})";
                    const string c2 = " are outliers";
                    text = cc + (cc.Length + c2.Length + c3.Length > TextMatrix.LineWidth ? "\n\t" : "") + c2;
                }
                else text = $"observation {i0[0] + 1} is an outlier";
                sb.Append(' ').Append(text).Append(' ').Append(c3).Append(" \n");
            }
            if (n1 > 0) sb.Append(' ').Append(n1 == 1 ? "one weight is" : $"{(n1 == n ? "All " : "")}{n1} weights are").Append(" ~= 1.");
            int rest = n - n0 - n1;
            if (rest <= 0)
            {
                if (n1 > 0) sb.Append('\n');
                return;
            }
            sb.Append(" The remaining ").Append(rest == 1 ? "one" : $"{rest} ones").Append(" are");
            var keep = Enumerable.Range(0, n).Where(i => !near1[i] && !near0[i]).ToArray();
            if (rest <= 10)
            {
                sb.Append('\n');
                TextMatrix.PrintNamedVector(sb, keep.Select(i => (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                    RFormat.Format(keep.Select(i => w[i]).ToArray(), Digits));
                return;
            }
            sb.Append(" summarized as\n");
            w = keep.Select(i => w[i]).ToArray();
        }
        var q = Results.Statistics.Quantiles(w.ToArray(), [0, 0.25, 0.5, 0.75, 1]);
        double[] values = [q[0], q[1], q[2], w.Average(), q[3], q[4]];
        for (int i = 0; i < values.Length; i++) values[i] = RFormat.Signif(values[i], Digits);
        values = RFormat.ZapSmall(values, 7);
        TextMatrix.PrintNamedVector(sb, ["Min.", "1st Qu.", "Median", "Mean", "3rd Qu.", "Max."], RFormat.Format(values, Digits));
    }

    /// <summary>An unnamed vector as R prints it: "[1]" and the values formatted together, wrapped at the line width.</summary>
    private static void PrintVector(StringBuilder sb, IReadOnlyList<double> w)
    {
        var f = RFormat.Format(w.ToArray(), Digits);
        int width = f.Length == 0 ? 0 : f.Max(s => s.Length);
        string label = $"[{f.Length}]";
        int labelWidth = label.Length;
        int perLine = Math.Max(1, (TextMatrix.LineWidth - labelWidth) / (width + 1));
        for (int start = 0; start < f.Length; start += perLine)
        {
            sb.Append($"[{start + 1}]".PadLeft(labelWidth));
            for (int i = start; i < Math.Min(f.Length, start + perLine); i++) sb.Append(' ').Append(f[i].PadLeft(width));
            sb.Append('\n');
        }
    }

    /// <summary>R's <c>formatC(e, digits = 2, width = 1)</c> (the "%g" format with two significant digits).</summary>
    private static string FormatC(double x) => x.ToString("G2", System.Globalization.CultureInfo.InvariantCulture).ToLowerInvariant();
}

using MixedModels.Formatting;
using System.Globalization;
using System.Text;

namespace MixedModels.Reporting;

/// <summary>
/// R's <c>printCoefmat</c>: coefficient-like columns (cs.ind) rounded together to the precision of the smallest
/// and formatted together; test-statistic columns (tst.ind) rounded to dig.tst decimals; zapped columns (zap.ind)
/// cleaned of tiny values; other columns formatted one by one; a last p-value column formatted by
/// <c>format.pval</c> with significance stars and their legend. lme4's and lmerTest's summaries and R's anova
/// tables are all printed with it.
/// </summary>
internal static class CoefficientTable
{
    private const string Legend = "---\nSignif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1\n";

    /// <summary>printCoefmat(x, digits, cs.ind, tst.ind, zap.ind, has.Pvalue, na.print) for an rows × columns matrix (NaN = NA).</summary>
    public static void Print(StringBuilder sb, IReadOnlyList<string> rowNames, IReadOnlyList<string> colNames, double[,] x,
        int digits, int[] csInd, int[] tstInd, int[]? zapInd = null, bool hasPvalue = false, string naPrint = "NA")
    {
        int rows = x.GetLength(0), nc = x.GetLength(1);
        var xm = (double[,])x.Clone();
        var cf = new string[rows, nc];
        for (int i = 0; i < rows; i++) for (int j = 0; j < nc; j++) cf[i, j] = "";
        foreach (int j in zapInd ?? [])
        {
            var z = RFormat.ZapSmall(Column(xm, j), digits);
            for (int i = 0; i < rows; i++) xm[i, j] = z[i];
        }
        if (csInd.Length > 0)
        {
            var values = csInd.SelectMany(j => Column(xm, j)).ToArray();
            var acs = values.Where(double.IsFinite).Select(Math.Abs).Where(v => v != 0).ToArray();
            if (values.Any(double.IsFinite))
            {
                int digmin = 1 + (acs.Length > 0 ? (int)Math.Floor(Math.Log10(acs.Min())) : 0);
                int roundTo = Math.Max(1, digits - digmin);
                var f = RFormat.Format(values.Select(v => RFormat.Round(v, roundTo)).ToArray(), digits);
                for (int c = 0; c < csInd.Length; c++)
                    for (int i = 0; i < rows; i++) cf[i, csInd[c]] = f[c * rows + i];
            }
        }
        int digTst = Math.Max(1, Math.Min(5, digits - 1));
        if (tstInd.Length > 0)
        {
            var values = tstInd.SelectMany(j => Column(xm, j)).Select(v => RFormat.Round(v, digTst)).ToArray();
            var f = RFormat.Format(values, digits);
            for (int c = 0; c < tstInd.Length; c++)
                for (int i = 0; i < rows; i++) cf[i, tstInd[c]] = f[c * rows + i];
        }
        for (int j = 0; j < nc; j++)
        {
            if (csInd.Contains(j) || tstInd.Contains(j) || (hasPvalue && j == nc - 1)) continue;
            var f = RFormat.Format(Column(xm, j), digits);
            for (int i = 0; i < rows; i++) cf[i, j] = f[i];
        }
        // Entries that are 0 but print as non-zero (or the reverse) are formatted again with one digit less.
        var fix = new List<(int I, int J)>();
        for (int j = 0; j < (hasPvalue ? nc - 1 : nc); j++)
        {
            if (tstInd.Contains(j)) continue;
            for (int i = 0; i < rows; i++)
            {
                if (double.IsNaN(xm[i, j])) continue;
                bool printsZero = double.TryParse(cf[i, j], NumberStyles.Float, CultureInfo.InvariantCulture, out double pv) && pv == 0;
                if ((xm[i, j] == 0) != printsZero) fix.Add((i, j));
            }
        }
        if (fix.Count > 0)
        {
            var again = RFormat.Format(fix.Select(t => xm[t.I, t.J]).ToArray(), Math.Max(1, digits - 1));
            for (int k = 0; k < fix.Count; k++) cf[fix[k].I, fix[k].J] = again[k];
        }
        for (int i = 0; i < rows; i++) for (int j = 0; j < nc; j++) if (double.IsNaN(xm[i, j])) cf[i, j] = naPrint;

        var headers = colNames.ToList();
        bool stars = false;
        if (hasPvalue)
        {
            var p = Column(xm, nc - 1);
            var okRows = Enumerable.Range(0, rows).Where(i => !double.IsNaN(p[i])).ToArray();
            if (okRows.Length > 0)
            {
                var f = PValues.Format(okRows.Select(i => p[i]).ToArray(), digTst);
                for (int k = 0; k < okRows.Length; k++) cf[okRows[k], nc - 1] = f[k];
                stars = okRows.Any(i => p[i] < 0.1);
            }
            if (stars)
            {
                var marks = p.Select(v => double.IsNaN(v) ? "" : PValues.Stars(v)).ToArray();
                int w = marks.Max(s => s.Length);
                var wider = new string[rows, nc + 1];
                for (int i = 0; i < rows; i++)
                {
                    for (int j = 0; j < nc; j++) wider[i, j] = cf[i, j];
                    wider[i, nc] = marks[i].PadRight(w);
                }
                cf = wider;
                headers.Add("");
            }
        }
        TextMatrix.Print(sb, rowNames, headers, cf, right: true);
        if (stars) sb.Append(Legend);
    }

    private static double[] Column(double[,] x, int j)
    {
        var c = new double[x.GetLength(0)];
        for (int i = 0; i < c.Length; i++) c[i] = x[i, j];
        return c;
    }
}

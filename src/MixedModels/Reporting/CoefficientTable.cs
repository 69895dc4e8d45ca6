using System.Text;

namespace MixedModels.Reporting;

/// <summary>
/// R's <c>printCoefmat</c>: coefficient and standard-error columns rounded together to the precision of the smallest,
/// the test statistic to 3 decimals, optional degrees of freedom and p-values with significance stars.
/// </summary>
internal static class CoefficientTable
{
    /// <summary>Prints the table; <paramref name="pValues"/> (with stars and legend) is optional.</summary>
    public static void Print(StringBuilder sb, string[] rowNames, double[][] coefColumns, string[] coefHeaders,
        double[] statistic, string statisticHeader, double[]? pValues, int digits, (double[] Values, string Header)? extra = null)
    {
        int rows = rowNames.Length;
        int cs = coefColumns.Length;
        var headers = new List<string>(coefHeaders);
        if (extra is not null) headers.Add(extra.Value.Header);
        headers.Add(statisticHeader);
        if (pValues is not null) headers.Add("Pr(>|t|)");
        var cells = new string[rows, headers.Count];

        // Coefficients and standard errors: rounded to max(1, digits - digmin), formatted together.
        var all = coefColumns.SelectMany(c => c).ToArray();
        var acs = all.Where(v => double.IsFinite(v) && v != 0).Select(Math.Abs).ToArray();
        int digmin = 1 + (acs.Length > 0 ? (int)Math.Floor(Math.Log10(acs.Min())) : 0);
        int roundTo = Math.Max(1, digits - digmin);
        var formatted = RFormat.Format(all.Select(v => RFormat.Round(v, roundTo)).ToArray(), digits);
        // Entries that are 0 but print as non-zero (or the reverse) are formatted again with one digit less.
        var fix = new List<int>();
        for (int k = 0; k < all.Length; k++)
        {
            bool isZero = all[k] == 0;
            bool printsZero = double.TryParse(formatted[k], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double pv) && pv == 0;
            if (isZero != printsZero) fix.Add(k);
        }
        if (fix.Count > 0)
        {
            var again = RFormat.Format(fix.Select(k => all[k]).ToArray(), Math.Max(1, digits - 1));
            for (int i = 0; i < fix.Count; i++) formatted[fix[i]] = again[i];
        }
        for (int c = 0; c < cs; c++)
            for (int i = 0; i < rows; i++) cells[i, c] = formatted[c * rows + i];
        int col = cs;
        if (extra is not null)
        {
            var f = RFormat.Format(extra.Value.Values, digits);
            for (int i = 0; i < rows; i++) cells[i, col] = f[i];
            col++;
        }
        int digTst = Math.Max(1, Math.Min(5, digits - 1));
        var t = RFormat.Format(statistic.Select(v => RFormat.Round(v, digTst)).ToArray(), digits);
        for (int i = 0; i < rows; i++) cells[i, col] = t[i];
        col++;
        string[]? stars = null;
        if (pValues is not null)
        {
            var pf = PValues.Format(pValues, digTst);
            bool anyStar = pValues.Any(p => p < 0.1);
            for (int i = 0; i < rows; i++) cells[i, col] = pf[i];
            if (anyStar)
            {
                stars = pValues.Select(PValues.Stars).ToArray();
                int w = stars.Max(s => s.Length);
                var withStars = new string[rows, headers.Count + 1];
                for (int i = 0; i < rows; i++)
                {
                    for (int j = 0; j < headers.Count; j++) withStars[i, j] = cells[i, j];
                    withStars[i, headers.Count] = stars[i].PadRight(w);
                }
                headers.Add("");
                cells = withStars;
            }
        }
        TextMatrix.Print(sb, rowNames, headers, cells, right: true);
        if (stars is not null) sb.Append("---\nSignif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1\n");
    }
}

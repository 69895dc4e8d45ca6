using MixedModels.Formatting;
using System.Globalization;
using System.Text;
using MixedModels.Inference;
using MixedModels.Results;

namespace MixedModels.Reporting;

/// <summary>R's <c>print(summary(lm(...)))</c> for a model without random effects.</summary>
internal static class LinearModelSummaryWriter
{
    private const int Digits = 4;

    public static string Write(LinearMixedModel m)
    {
        var s = LinearModelSummary.Compute(m);
        var sb = new StringBuilder();
        sb.Append("\nCall:\n");
        sb.Append($"lm(formula = {m.Formula}, data = {m.Design.Frame.DataName})\n\n");
        sb.Append("Residuals:\n");
        if (s.ResidualDf > 5)
        {
            var q = RFormat.ZapSmall(Results.Statistics.Quantiles(m.Residuals, [0, 0.25, 0.5, 0.75, 1]), Digits + 1);
            TextMatrix.PrintNamedVector(sb, ["Min", "1Q", "Median", "3Q", "Max"], RFormat.Format(q, Digits));
        }
        else
            TextMatrix.PrintNamedVector(sb, Enumerable.Range(1, m.Observations).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList(),
                RFormat.Format(m.Residuals.ToArray(), Digits));
        sb.Append("\nCoefficients:\n");
        int p = s.Coefficients.Count;
        var x = new double[p, 4];
        for (int i = 0; i < p; i++)
        {
            var t = s.Coefficients[i];
            x[i, 0] = t.Estimate; x[i, 1] = t.StandardError; x[i, 2] = t.TValue; x[i, 3] = t.PValue;
        }
        CoefficientTable.Print(sb, s.Coefficients.Select(t => t.Name).ToArray(), ["Estimate", "Std. Error", "t value", "Pr(>|t|)"], x, Digits, [0, 1], [2], hasPvalue: true);
        sb.Append($"\nResidual standard error: {RFormat.Format(RFormat.Signif(s.ResidualStandardError, Digits))} on {s.ResidualDf} degrees of freedom\n");
        if (s.NumeratorDf > 0)
        {
            sb.Append($"Multiple R-squared:  {FormatG(s.RSquared, Digits)},\tAdjusted R-squared:  {FormatG(s.AdjustedRSquared, Digits)} \n");
            sb.Append($"F-statistic: {FormatG(s.FStatistic, Digits)} on {s.NumeratorDf} and {s.ResidualDf} DF,  p-value: {PValues.Format([s.FPValue], Digits)[0]}\n");
        }
        return sb.ToString();
    }

    /// <summary>R's <c>formatC(x, digits)</c>: C's %.{digits}g.</summary>
    internal static string FormatG(double x, int digits)
    {
        if (double.IsNaN(x)) return "NaN";
        if (x == 0) return "0";
        int exp = (int)Math.Floor(Math.Log10(Math.Abs(x)));
        string s;
        if (exp < -4 || exp >= digits)
        {
            s = ExactDecimal.Scientific(x, digits - 1);
            int e = s.IndexOf('e');
            string mant = s[..e];
            if (mant.Contains('.')) mant = mant.TrimEnd('0').TrimEnd('.');
            s = mant + s[e..];
        }
        else
        {
            s = ExactDecimal.Fixed(x, Math.Max(0, digits - 1 - exp));
            if (s.Contains('.')) s = s.TrimEnd('0').TrimEnd('.');
        }
        return s;
    }
}

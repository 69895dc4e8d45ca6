using System.Globalization;
using System.Text;
using MixedModels.Formatting;
using MixedModels.Results;

namespace MixedModels.Reporting;

/// <summary>nlme's print.VarCov: a heading, the matrix rounded to 5 significant digits as R prints a matrix, the SDs.</summary>
internal static class NlmeVarCovText
{
    public static string Write(NlmeVarCov v)
    {
        var sb = new StringBuilder();
        if (v.Group is not null && v.Individual is not null) sb.Append(v.Group).Append(' ').Append(v.Individual).Append(" \n");
        string kind = v.Type switch { "random.effects" => "Random effects", "conditional" => "Conditional", _ => "Marginal" };
        sb.Append(kind).Append(" variance covariance matrix\n");
        int n = v.Size;
        var cells = new string[n, n];
        for (int j = 0; j < n; j++)
        {
            var column = new double[n];
            for (int i = 0; i < n; i++) column[i] = RFormat.Signif(v[i, j], 5);
            var text = RFormat.Format(column, 7);
            for (int i = 0; i < n; i++) cells[i, j] = text[i].Trim();
        }
        string[] rows, columns;
        if (v.Names is { } names)
        {
            rows = [.. names];
            columns = [.. names];
        }
        else
        {
            rows = Enumerable.Range(1, n).Select(i => $"[{i.ToString(CultureInfo.InvariantCulture)},]").ToArray();
            columns = Enumerable.Range(1, n).Select(i => $"[,{i.ToString(CultureInfo.InvariantCulture)}]").ToArray();
        }
        TextMatrix.Print(sb, rows, columns, cells, right: true);
        sb.Append("  Standard Deviations:");
        foreach (double sd in v.StandardDeviations()) sb.Append(' ').Append(RFormat.Cat(RFormat.Signif(sd, 5)));
        sb.Append(" \n");
        return sb.ToString();
    }
}

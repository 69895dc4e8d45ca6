using System.Globalization;
using MixedModels.Data;
using MixedModels.Results;

namespace MixedModels.Cli;

/// <summary>`describe --group G --icc Y`: per grouping column, its groups and sizes and the null model's ICC, in one line.</summary>
internal static class FirstLook
{
    public static string Lines(Table table, string response, IReadOnlyList<string> groups)
    {
        var sb = new System.Text.StringBuilder();
        foreach (string g in groups)
        {
            var sizes = DataSummary.GroupSizes(table, g);
            string formula = $"{Quote(response)} ~ 1 + (1 | {Quote(g)})";
            var m = LinearMixedModel.Fit(formula, table);
            var c = m.VarianceComponents[0];
            double tau2 = c.Variance(0), sigma2 = m.Sigma * m.Sigma;
            sb.Append(CultureInfo.InvariantCulture,
                $"{g}: {sizes.Groups} groups of {sizes.Min} to {sizes.Max} rows (median {sizes.Median:0.#}, mean {sizes.Mean:0.0}); ICC of {formula}: {tau2 / (tau2 + sigma2):0.000}\n");
        }
        return sb.ToString();
    }

    private static string Quote(string name) => name.All(ch => char.IsLetterOrDigit(ch) || ch is '.' or '_') ? name : $"`{name}`";
}

using System.CommandLine;
using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Inference;
using MixedModels.Results;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed fit</c>: fits a model and prints lme4's summary or JSON.</summary>
internal static class FitCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data", "-d") { Description = "A CSV file, or the name of an embedded data set (see 'mixed datasets')", Required = true };
        var formula = new Option<string>("--formula", "-f") { Description = "The model in lme4 syntax, e.g. \"Reaction ~ Days + (Days | Subject)\"", Required = true };
        var ml = new Option<bool>("--ml") { Description = "Fit by maximum likelihood instead of REML" };
        var factor = new Option<string[]>("--factor") { Description = "Treat a numeric-looking column as categorical (repeatable)", AllowMultipleArgumentsPerToken = false };
        var levels = new Option<string[]>("--levels") { Description = "Set a factor's level order: COL=a,b,c (repeatable)" };
        var ordered = new Option<string[]>("--ordered") { Description = "Make a factor ordered (polynomial contrasts): COL=a,b,c or COL (repeatable)" };
        var contrasts = new Option<string[]>("--contrasts") { Description = "Contrast coding of a factor: COL=treatment|sum|helmert|poly (repeatable)" };
        var ddf = DdfOption.Create();
        var format = new Option<string>("--format") { Description = "Output format: text (lme4's summary) or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var output = new Option<string?>("--output", "-o") { Description = "Write the output to this file instead of standard output" };
        var cmd = new Command("fit", "Fit a linear mixed model and print lme4's summary (or JSON).\n\n" +
            "Examples:\n  mixed fit --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\"\n" +
            "  mixed fit --data my.csv --factor Subject --ml --format json --formula \"y ~ x + (1 | Subject)\"")
        { data, formula, ml, factor, levels, ordered, contrasts, ddf, format, output };
        cmd.SetAction(parse =>
        {
            var (table, name) = DataSource.Load(parse.GetValue(data)!, parse.GetValue(factor) ?? [], parse.GetValue(levels) ?? [], parse.GetValue(ordered) ?? []);
            var designOptions = new DesignOptions { Contrasts = ParseContrasts(parse.GetValue(contrasts) ?? []) };
            var model = LinearMixedModel.Fit(parse.GetValue(formula)!, table, new FitOptions { Reml = !parse.GetValue(ml) }, designOptions, name);
            var method = DdfOption.Parse(parse.GetValue(ddf));
            string text = parse.GetValue(format) == "json" ? model.ToJson(method) + "\n" : TextOutput(model, method);
            Output.Write(parse, parse.GetValue(output), text);
            return 0;
        });
        return cmd;
    }

    private static string TextOutput(LinearMixedModel model, DdfMethod ddf)
    {
        string s = model.Summary(ddf);
        if (model.DroppedRows > 0)
            s += $"\nNote: {model.DroppedRows} row{(model.DroppedRows == 1 ? " was" : "s were")} removed for missing values.\n";
        return s;
    }

    private static Dictionary<string, ContrastKind> ParseContrasts(string[] specs)
    {
        var result = new Dictionary<string, ContrastKind>(StringComparer.Ordinal);
        foreach (string spec in specs)
        {
            int eq = spec.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--contrasts {spec}: write it as COL=treatment|sum|helmert|poly");
            string kind = spec[(eq + 1)..].Trim().ToLowerInvariant();
            result[spec[..eq].Trim()] = kind switch
            {
                "treatment" or "contr.treatment" => ContrastKind.Treatment,
                "sum" or "contr.sum" => ContrastKind.Sum,
                "helmert" or "contr.helmert" => ContrastKind.Helmert,
                "poly" or "polynomial" or "contr.poly" => ContrastKind.Polynomial,
                _ => throw new UsageException($"--contrasts {spec}: unknown coding '{kind}'; use treatment, sum, helmert or poly"),
            };
        }
        return result;
    }
}

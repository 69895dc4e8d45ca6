using System.CommandLine;
using MixedModels.Inference;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed compare</c>: likelihood-ratio comparison of nested models (lme4's <c>anova(m1, m2, ...)</c>), or with --robust robustlmm's <c>compare()</c> of classical and robust fits.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var model = new ModelOptions(formulas: true);
        var nsim = new Option<int>("--nsim") { Description = "Also test each model against the previous one by a parametric bootstrap of the likelihood ratio with this many replicates" };
        var seed = new Option<int>("--seed") { Description = "Seed of the bootstrap (the same seed gives the same p-values)", DefaultValueFactory = _ => 1 };
        var complete = new Option<bool>("--complete-cases") { Description = "Fit every model to the rows that have all the models' variables, so models with different missing values can be compared" };
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var labels = new Option<string?>("--labels") { Description = "The models' names in the table, comma-separated (R prints the variables' names); default MODEL1, MODEL2, ..." };
        var cmd = new Command("compare", "Compare nested models by likelihood-ratio tests (lme4's anova): REML fits are refitted by ML, " +
            "models are sorted by their number of parameters. A formula without random effects (y ~ x) is a valid base model (lm, or glm with --family).\n\n" +
            "Examples:\n  mixed compare --data sleepstudy --formula \"Reaction ~ Days\" --formula \"Reaction ~ Days + (1 | Subject)\" " +
            "--formula \"Reaction ~ Days + (Days | Subject)\"\n" +
            "  mixed compare --data sleepstudy --formula \"Reaction ~ Days + (1 | Subject)\" --formula \"Reaction ~ Days + (Days | Subject)\" --nsim 1000 --format json\n" +
            "  mixed compare --data cbpp --family binomial --formula \"cbind(incidence, size - incidence) ~ period\" --formula \"cbind(incidence, size - incidence) ~ period + (1 | herd)\"\n" +
            "  mixed compare --robust --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\"   (robustlmm's compare() of the lmer and rlmer fits)");
        model.AddTo(cmd);
        cmd.Add(nsim);
        cmd.Add(seed);
        cmd.Add(complete);
        cmd.Add(format);
        cmd.Add(labels);
        cmd.SetAction(parse =>
        {
            if (model.Robust(parse)) return Robust(parse, model, format);
            var formulas = model.Models(parse);
            if (formulas.Count < 2) throw new UsageException("give at least two models to compare: --formula F1 --formula F2 (or --call twice)");
            int replicates = parse.GetValue(nsim);
            if (replicates < 0 || replicates > Inference.ParametricBootstrap.MaxReplicates)
                throw new UsageException($"--nsim {replicates}: give between 0 and {Inference.ParametricBootstrap.MaxReplicates:N0} bootstrap replicates");
            var data = model.Data(parse);
            if (formulas.Any(f => f.Call is { HasStructures: true }))
            {
                // nlme's anova of fits with variance functions or correlation structures: every model an lme() or gls() call.
                if (formulas.Any(f => f.Call is not { IsNlme: true }))
                    throw new UsageException("a comparison with nlme's weights = or correlation = takes lme() and gls() calls only (--call 'gls(...)' --call 'lme(...)')");
                if (replicates > 0) throw new UsageException("--nsim goes with lme4's comparison; nlme's anova has no bootstrap");
                if (parse.GetValue(complete)) throw new UsageException("--complete-cases: not available with nlme's structures yet; give every model the same rows");
                var fits = formulas.Select(f => model.FitNlme(parse, data, f.Call!)).ToArray();
                foreach (var w in fits.SelectMany(f => f.Warnings).Distinct()) parse.InvocationConfiguration.Error.WriteLine("warning: " + Formatting.TerminalText.Escape(w));
                var table = NlmeAnova.Compare(Labels(parse.GetValue(labels), fits.Length), fits);
                model.Write(parse, table.Format(ModelOptions.ParseFormat(parse.GetValue(format))));
                return 0;
            }
            var models = formulas.Select(f => model.FitAny(parse, data, f)).ToArray();
            if (parse.GetValue(complete))
            {
                var restricted = CompleteCases.Restrict(data, models, parse.InvocationConfiguration.Error);
                if (!ReferenceEquals(restricted.Table, data.Table)) models = formulas.Select(f => model.FitAny(parse, restricted, f)).ToArray();
            }
            var names = Labels(parse.GetValue(labels), models.Length);
            if (formulas.All(f => f.Call is { IsNlme: true }))
            {
                // nlme's anova(m1, m2, ...): in the order given, each fit as it was made (no ML refits).
                if (replicates > 0) throw new UsageException("--nsim goes with lme4's comparison; nlme's anova has no bootstrap");
                var nlme = NlmeAnova.Compare(names, models.Cast<Results.LinearMixedModel>().ToArray());
                model.Write(parse, nlme.Format(ModelOptions.ParseFormat(parse.GetValue(format))));
                return 0;
            }
            using var bar = replicates > 0 ? ProgressBar.Start("bootstrap", replicates * (models.Length - 1)) : null;
            var comparison = ModelComparison.Compare(names, models, replicates, parse.GetValue(seed), bar);
            model.Write(parse, comparison.Format(ModelOptions.ParseFormat(parse.GetValue(format))));
            return 0;
        });
        return cmd;
    }

    private static string[] Labels(string? given, int count)
    {
        if (given is null) return Enumerable.Range(1, count).Select(i => $"MODEL{i}").ToArray();
        var names = given.Split(',', StringSplitOptions.TrimEntries);
        if (names.Length != count || names.Any(n => n.Length == 0))
            throw new UsageException($"--labels {given}: give {count} names, one per model, separated by commas");
        return names;
    }

    /// <summary>
    /// robustlmm's <c>compare()</c>: each --formula fitted by lmer (REML) and by rlmer, each rlmer() --call robustly,
    /// side by side.
    /// </summary>
    private static int Robust(ParseResult parse, ModelOptions model, Option<string> format)
    {
        if (parse.GetValue<int>("--nsim") != 0 || parse.GetValue<bool>("--complete-cases"))
            throw new UsageException("--robust compares classical and robust estimates; --nsim and --complete-cases go with likelihood-ratio comparisons");
        var data = model.Data(parse);
        var specs = model.Models(parse);
        var fits = new List<Reporting.ComparedFit>();
        for (int i = 0; i < specs.Count; i++)
        {
            string suffix = specs.Count == 1 ? "" : $"{i + 1}";
            if (specs[i].Call is null) fits.Add(Reporting.ComparedFit.Of("lmer" + suffix, model.Fit(parse, data, specs[i].Formula)));
            fits.Add(Reporting.ComparedFit.Of("rlmer" + suffix, model.FitRobust(parse, data, specs[i])));
        }
        model.Write(parse, Reporting.RobustComparison.Create(fits).Format(ModelOptions.ParseFormat(parse.GetValue(format))));
        return 0;
    }
}

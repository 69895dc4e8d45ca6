using System.CommandLine;
using MixedModels.Results;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed fit</c>: fits a model and prints lme4's (lmerTest's) summary or JSON.</summary>
internal static class FitCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var ddf = DdfOption.Create();
        var format = ModelOptions.FormatOption("text", "json");
        var style = new Option<string>("--style")
        {
            Description = "The summary's layout: lme4 (lme4's/lmerTest's summary, the default) or statsmodels (Python statsmodels' MixedLM summary, for a model with one grouping factor and one random-effects term)",
            DefaultValueFactory = _ => "lme4",
        }.AcceptOnlyFromAmong("lme4", "statsmodels");
        var cmd = new Command("fit", "Fit a linear (lmer), generalized linear (glmer, --family) or robust (rlmer, --robust) mixed model and print its summary (or JSON).\n\n" +
            "Examples:\n  mixed fit --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\"\n" +
            "  mixed fit --data my.csv --factor Subject --ml --format json --formula \"y ~ x + (1 | Subject)\"\n" +
            "  mixed fit --data cbpp --family binomial --formula \"cbind(incidence, size - incidence) ~ period + (1 | herd)\"\n" +
            "  mixed fit --data grouseticks --family poisson --formula \"TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | LOCATION)\"\n" +
            "  mixed fit --data orthodont.csv --call \"gls(distance ~ age * Sex, correlation = corAR1(form = ~ 1 | Subject))\"\n" +
            "  mixed fit --data visits.parquet --engine duckdb --formula \"y ~ x1 + x2 + (1 + x1 | g)\"\n" +
            "  mixed fit --data rehab --robust --formula \"resemblance ~ intervention + gep_level + tse_months + (intervention | id_clin)\"");
        model.AddTo(cmd);
        model.AddEngineTo(cmd);
        cmd.Add(ddf);
        cmd.Add(format);
        cmd.Add(style);
        cmd.SetAction(parse =>
        {
            bool json = parse.GetValue(format) == "json";
            if (model.Robust(parse))
            {
                if (parse.GetValue(style) == "statsmodels") throw new UsageException("--style statsmodels: statsmodels has no robust mixed model; leave out --robust");
                var robust = model.FitRobust(parse);
                model.Write(parse, json ? robust.ToJson() + "\n" : robust.Summary() + ModelOptions.DroppedRowsNote(robust.DroppedRows));
                return 0;
            }
            if (model.Models(parse)[0].Call is { HasStructures: true })
            {
                if (parse.GetValue(style) == "statsmodels") throw new UsageException("--style statsmodels: statsmodels' MixedLM has no variance functions or correlation structures");
                var (nlmeFit, call) = model.FitNlme(parse);
                // nlme's summary prints no warnings; a fit that may not have settled says so on standard error.
                foreach (string w in nlmeFit.Warnings) parse.InvocationConfiguration.Error.WriteLine("warning: " + Formatting.TerminalText.Escape(w));
                model.Write(parse, json ? call.ToJson(nlmeFit) + "\n" : call.Summary(nlmeFit) + ModelOptions.DroppedRowsNote(nlmeFit.Design.Frame.DroppedRowCount));
                return 0;
            }
            var any = (IMixedModel?)model.FitPushedDown(parse) ?? model.FitAny(parse);
            if (parse.GetValue(style) == "statsmodels")
            {
                if (json) throw new UsageException("--style statsmodels is a text layout; leave out --format json");
                if (any is not LinearMixedModel lmm) throw new UsageException("--style statsmodels: statsmodels' MixedLM fits linear mixed models only");
                model.Write(parse, lmm.Summary(Reporting.SummaryStyle.Statsmodels));
                return 0;
            }
            if (any is not LinearMixedModel m)
            {
                model.Write(parse, json ? any.ToJson() + "\n" : any.Summary() + ModelOptions.DroppedRowsNote(any));
                return 0;
            }
            if (!json && model.Models(parse)[0].Call is { IsNlme: true } nlme)
            {
                model.Write(parse, nlme.Summary(m) + ModelOptions.DroppedRowsNote(m));
                return 0;
            }
            var method = DdfOption.Parse(parse.GetValue(ddf));
            model.Write(parse, json ? m.ToJson(method) + "\n" : m.Summary(method) + ModelOptions.DroppedRowsNote(m));
            return 0;
        });
        return cmd;
    }
}

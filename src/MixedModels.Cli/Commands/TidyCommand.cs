using System.CommandLine;
using MixedModels.Inference;
using MixedModels.Reporting;
using MixedModels.Results;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed tidy</c>: broom.mixed's tidy table of a fit.</summary>
internal static class TidyCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var ddf = DdfOption.Create();
        var intervals = new IntervalOptions("--conf-method",
            "Intervals: wald (t-based for the fixed effects, as broom.mixed), profile, boot, or none", "wald", "wald", "profile", "boot", "none");
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var exponentiate = new Option<bool>("--exponentiate") { Description = "With --family: exp() of the fixed effects and their limits (odds or rate ratios), as broom.mixed's exponentiate = TRUE" };
        var cmd = new Command("tidy", "A broom.mixed-style table: fixed effects (estimate, std.error, statistic, df, p.value, conf.low, conf.high) " +
            "and ran_pars (sd__/cor__ of each term, sd__Observation).\n\n" +
            "Example:\n  mixed tidy --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\" --format csv");
        model.AddTo(cmd);
        cmd.Add(ddf);
        intervals.AddTo(cmd);
        cmd.Add(format);
        cmd.Add(exponentiate);
        cmd.SetAction(parse =>
        {
            var (kind, level, replicates, seed) = intervals.Parse(parse);
            if (model.Robust(parse))
            {
                if (kind != IntervalMethod.Wald || parse.GetValue(exponentiate))
                    throw new UsageException("--robust: broom.mixed's tidy of an rlmer fit has estimates, standard errors and t values only; leave out --conf-method and --exponentiate");
                var robust = model.FitRobust(parse).Tidy();
                model.Write(parse, TextTables.Write(robust.ToResultTable(), ModelOptions.ParseFormat(parse.GetValue(format))));
                return 0;
            }
            if (model.Models(parse)[0].Call is { HasStructures: true })
            {
                // broom.mixed's tidy of an lme or gls fit with nlme's structures: nlme's df, the variance function's parameters as var_model rows.
                if (kind != IntervalMethod.Wald && kind != IntervalMethod.None) throw new UsageException("--conf-method: the tidy table of an nlme fit has no intervals yet; leave it out");
                var (structured, _) = model.FitNlme(parse);
                model.Write(parse, TextTables.Write(TidyTable.CreateNlme(structured).ToResultTable(), ModelOptions.ParseFormat(parse.GetValue(format))));
                return 0;
            }
            var any = model.FitAny(parse);
            if (any is GeneralizedLinearMixedModel g)
            {
                using var gbar = kind switch
                {
                    IntervalMethod.Bootstrap => ProgressBar.Start("bootstrap", replicates),
                    IntervalMethod.Profile => ProgressBar.Start("profile", GlmmProfile.ParameterCount(g)),
                    _ => null,
                };
                var cis = kind switch
                {
                    IntervalMethod.Wald => GlmmIntervals.Wald(g, level),
                    IntervalMethod.Profile => GlmmProfile.Intervals(g, level, gbar),
                    IntervalMethod.Bootstrap => GlmmIntervals.Bootstrap(g, replicates, seed, level, gbar),
                    _ => null,
                };
                var glmm = TidyTable.Create(g, parse.GetValue(exponentiate), cis);
                model.Write(parse, TextTables.Write(glmm.ToResultTable(), ModelOptions.ParseFormat(parse.GetValue(format))));
                return 0;
            }
            if (parse.GetValue(exponentiate)) throw new UsageException("--exponentiate goes with --family (odds or rate ratios of a generalized model)");
            var m = (LinearMixedModel)any;
            if (model.Models(parse)[0].Call is { IsNlme: true })
            {
                // broom.mixed's tidy of an lme fit: nlme's df, standard errors and names.
                if (kind != IntervalMethod.Wald && kind != IntervalMethod.None) throw new UsageException("--conf-method: the tidy table of an nlme fit has no intervals yet; leave it out");
                model.Write(parse, TextTables.Write(TidyTable.CreateNlme(m).ToResultTable(), ModelOptions.ParseFormat(parse.GetValue(format))));
                return 0;
            }
            using var bar = IntervalOptions.Progress(kind, m, replicates);
            var table = TidyTable.Create(m, new TidyOptions
            {
                Ddf = DdfOption.Parse(parse.GetValue(ddf)), Intervals = kind, Level = level, Replicates = replicates, Seed = seed, Progress = bar,
            });
            model.Write(parse, TextTables.Write(table.ToResultTable(), ModelOptions.ParseFormat(parse.GetValue(format))));
            return 0;
        });
        return cmd;
    }
}

using System.CommandLine;
using MixedModels.Inference;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed confint</c>: Wald, profile-likelihood or parametric-bootstrap confidence intervals (lme4's <c>confint</c>).</summary>
internal static class ConfintCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var intervals = new IntervalOptions("--method",
            "wald (fixed effects), profile (every parameter; lme4's default) or boot (parametric bootstrap percentiles)", "profile", "wald", "profile", "boot");
        var ddf = DdfOption.Create(defaultValue: "none");
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var cmd = new Command("confint", "Confidence intervals for the fixed effects, the random-effects SDs and correlations, and sigma.\n\n" +
            "Examples:\n  mixed confint --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\"\n" +
            "  mixed confint --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\" --method boot --nsim 2000 --seed 42");
        model.AddTo(cmd);
        intervals.AddTo(cmd);
        cmd.Add(ddf);
        cmd.Add(format);
        cmd.SetAction(parse =>
        {
            var (kind, level, replicates, seed) = intervals.Parse(parse);
            if (model.Models(parse)[0].Call is { IsNlme: true } call)
            {
                // nlme's intervals(): t intervals for the fixed effects, approximate normal ones for the variance parameters.
                model.Write(parse, NlmeIntervals.Compute(model.FitNlme(parse, model.Data(parse), call), level).ToString());
                return 0;
            }
            var any = model.FitAny(parse);
            if (any is Results.GeneralizedLinearMixedModel g)
            {
                using var gbar = kind switch
                {
                    IntervalMethod.Bootstrap => ProgressBar.Start("bootstrap", replicates),
                    IntervalMethod.Profile => ProgressBar.Start("profile", GlmmProfile.ParameterCount(g)),
                    _ => null,
                };
                var gi = kind switch
                {
                    IntervalMethod.Bootstrap => GlmmIntervals.Bootstrap(g, replicates, seed, level, gbar),
                    IntervalMethod.Profile => GlmmProfile.Intervals(g, level, gbar),
                    _ => GlmmIntervals.Wald(g, level),
                };
                var gf = ModelOptions.ParseFormat(parse.GetValue(format));
                string gt = ConfidenceIntervals.Format(gi, gf);
                if (gf == Reporting.TableFormat.Text)
                    gt = $"{level * 100:0.##}% {kind switch { IntervalMethod.Bootstrap => $"parametric bootstrap percentile ({replicates} replicates, seed {seed})", IntervalMethod.Profile => "profile-likelihood (Laplace criterion)", _ => "Wald (fixed effects)" }} confidence intervals\n" + gt;
                model.Write(parse, gt);
                return 0;
            }
            var m = (Results.LinearMixedModel)any;
            using var bar = IntervalOptions.Progress(kind, m, replicates);
            var result = ConfidenceIntervals.Compute(m, kind, level, DdfOption.Parse(parse.GetValue(ddf)), replicates, seed, bar);
            var f = ModelOptions.ParseFormat(parse.GetValue(format));
            string text = ConfidenceIntervals.Format(result, f);
            if (f == Reporting.TableFormat.Text)
            {
                string what = kind switch
                {
                    IntervalMethod.Wald => "Wald",
                    IntervalMethod.Bootstrap => $"parametric bootstrap percentile ({replicates} replicates, seed {seed})",
                    _ => "profile-likelihood (ML profile" + (m.Reml ? "; the REML fit was refitted by ML" : "") + ")",
                };
                text = $"{level * 100:0.##}% {what} confidence intervals\n" + text + ModelOptions.DroppedRowsNote(m);
            }
            model.Write(parse, text);
            return 0;
        });
        return cmd;
    }
}

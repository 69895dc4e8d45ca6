using System.CommandLine;
using MixedModels.Inference;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed anova</c>: the type III F tests of the fixed-effect terms (lmerTest's <c>anova(m)</c>).</summary>
internal static class AnovaCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var ddf = DdfOption.Create(allowNone: false);
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var type = new Option<string>("--type") { Description = "With an lme() or gls() call: nlme's sequential (default) or marginal F tests", DefaultValueFactory = _ => "sequential" }
            .AcceptOnlyFromAmong("sequential", "marginal");
        var cmd = new Command("anova", "Type III ANOVA table of the fixed-effect terms with Satterthwaite or Kenward-Roger denominators (lmerTest's anova); " +
            "for an nlme call, nlme's anova(m).\n\n" +
            "Examples:\n  mixed anova --data orthodont --formula \"distance ~ age * Sex + (age | Subject)\" --ddf kenward-roger\n" +
            "  mixed anova --data orthodont --call 'lme(distance ~ age * Sex, random = ~ 1 | Subject)' --type marginal");
        model.AddTo(cmd);
        cmd.Add(ddf);
        cmd.Add(format);
        cmd.Add(type);
        cmd.SetAction(parse =>
        {
            if (model.Models(parse)[0].Call is { IsNlme: true } call)
            {
                var tests = call.HasStructures
                    ? NlmeTermTests.Compute(model.FitNlme(parse, model.Data(parse), call), parse.GetValue(type) == "marginal")
                    : NlmeTermTests.Compute(model.Fit(parse), parse.GetValue(type) == "marginal");
                model.Write(parse, tests.Format(ModelOptions.ParseFormat(parse.GetValue(format))));
                return 0;
            }
            if (model.FitAny(parse) is Results.GeneralizedLinearMixedModel g)
            {
                // glmer: car's Anova(type = 3), Wald chi-square tests of each term (lmerTest's F tests are for lmer fits).
                var wald = WaldChiSquareTable.TypeIII(g);
                model.Write(parse, wald.Format(ModelOptions.ParseFormat(parse.GetValue(format))));
                return 0;
            }
            var m = model.Fit(parse);
            var table = AnovaTable.TypeIII(m, DdfOption.Parse(parse.GetValue(ddf)));
            if (table.Rows.Count == 0)
                throw new UsageException("the model has no fixed-effect terms besides the intercept, so there is nothing to test; add predictors to the formula");
            var f = ModelOptions.ParseFormat(parse.GetValue(format));
            model.Write(parse, table.Format(f) + (f == Reporting.TableFormat.Text ? ModelOptions.DroppedRowsNote(m) : ""));
            return 0;
        });
        return cmd;
    }
}

using System.CommandLine;
using MixedModels.Reporting;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed variance</c>: variance components with standard errors, ICC, R², and the reduction from a base model.</summary>
internal static class VarianceCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var baseFormula = new Option<string?>("--base") { Description = "A base model (e.g. the null model): report the proportional reduction of each variance component from it" };
        var complete = new Option<bool>("--complete-cases") { Description = "With --base: fit both models to the rows that have both models' variables" };
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var cmd = new Command("variance", "Variance components with standard errors (observed information), intraclass correlations, " +
            "Nakagawa's marginal and conditional R², and the variance explained relative to a base model.\n\n" +
            "Examples:\n  mixed variance --data hsb --formula \"MathAch ~ 1 + (1 | School)\"\n" +
            "  mixed variance --data hsb --formula \"MathAch ~ SES + (1 | School)\" --base \"MathAch ~ 1 + (1 | School)\"");
        model.AddTo(cmd);
        cmd.Add(baseFormula);
        cmd.Add(complete);
        cmd.Add(format);
        cmd.SetAction(parse =>
        {
            var data = model.Data(parse);
            var any = model.FitAny(parse, data, model.Models(parse)[0]);
            VarianceReport report;
            if (any is Results.GeneralizedLinearMixedModel g)
            {
                if (parse.GetValue(baseFormula) is not null) throw new UsageException("--base: the reduction of variance components is computed for linear mixed models only so far");
                report = VarianceReport.Create(g);
            }
            else
            {
                var b = parse.GetValue(baseFormula) is { } f ? model.Fit(parse, data, f) : null;
                if (b is not null && parse.GetValue(complete))
                {
                    var restricted = CompleteCases.Restrict(data, [any, b], parse.InvocationConfiguration.Error);
                    if (!ReferenceEquals(restricted.Table, data.Table))
                    {
                        any = model.FitAny(parse, restricted, model.Models(parse)[0]);
                        b = model.Fit(parse, restricted, parse.GetValue(baseFormula)!);
                    }
                }
                else if (parse.GetValue(complete)) throw new UsageException("--complete-cases goes with --base (the rows both models can use)");
                report = VarianceReport.Create((Results.LinearMixedModel)any, b);
            }
            var m = any;
            var fmt = ModelOptions.ParseFormat(parse.GetValue(format));
            model.Write(parse, (fmt == TableFormat.Text ? report.Sections(fmt, t => TextTables.Render(t)) : report.Format(fmt)) + (fmt == TableFormat.Text ? ModelOptions.DroppedRowsNote(m) : ""));
            return 0;
        });
        return cmd;
    }
}

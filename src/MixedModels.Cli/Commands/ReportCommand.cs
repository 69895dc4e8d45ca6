using System.CommandLine;
using MixedModels.Reporting;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed report</c>: one self-contained HTML page about a fit.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var cmd = new Command("report", "Write a self-contained HTML report: summary, tidy tables, variance components, warnings, outlying clusters and all plots.\n\n" +
            "Example:\n  mixed report --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\" --output report.html");
        model.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var data = model.Data(parse);
            if (model.Robust(parse))
            {
                var spec = model.Models(parse)[0];
                if (spec.Call is not null) throw new UsageException("report --robust: give the model by --formula; the report fits it by lmer and by rlmer");
                var classical = model.Fit(parse, data, spec.Formula);
                model.Write(parse, HtmlReport.Write(classical, data.Table, model.FitRobust(parse, data, spec)));
                return 0;
            }
            if (model.Models(parse)[0].Call is { HasStructures: true } call)
            {
                model.Write(parse, HtmlReport.Write(model.FitNlme(parse, data, call), call));
                return 0;
            }
            var any = model.FitAny(parse, data, model.Models(parse)[0]);
            model.Write(parse, any is Results.GeneralizedLinearMixedModel g ? HtmlReport.Write(g) : HtmlReport.Write((Results.LinearMixedModel)any, data.Table));
            return 0;
        });
        return cmd;
    }
}

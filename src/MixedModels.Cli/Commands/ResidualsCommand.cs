using System.CommandLine;
using MixedModels.Reporting;
using MixedModels.Results;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed residuals</c>: each row's fitted value and residual of the type asked (R's residuals()).</summary>
internal static class ResidualsCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var type = new Option<string>("--type")
        {
            Description = "response (y - fitted, the default), pearson (divided by sigma and, for nlme's weights =, the variance function), " +
                "normalized (nlme: decorrelated by the correlation structure) or scaled (lme4: divided by sigma)",
            DefaultValueFactory = _ => "response",
        }.AcceptOnlyFromAmong("response", "pearson", "normalized", "scaled");
        var format = ModelOptions.FormatOption("csv", "json", "text", "markdown");
        var cmd = new Command("residuals", "Each row's fitted value and residual: lme4's residuals(type =) of an lmer fit, nlme's resid(type =) of an lme() or gls() call " +
            "(with its variance function and correlation structure).\n\nExamples:\n" +
            "  mixed residuals --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\" --type pearson\n" +
            "  mixed residuals --data ovary --call \"lme(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), random = ~ 1 | Mare, correlation = corAR1())\" --type normalized");
        model.AddTo(cmd);
        cmd.Add(type);
        cmd.Add(format);
        cmd.SetAction(parse =>
        {
            string kind = parse.GetValue(type)!;
            double[] fitted, residuals;
            if (model.Models(parse)[0].Call is { IsNlme: true } call)
            {
                if (kind == "scaled") throw new UsageException("--type scaled is lme4's; nlme's types are response, pearson and normalized");
                var fit = model.FitNlme(parse, model.Data(parse), call);
                fitted = [.. fit.Fitted];
                residuals = kind switch { "pearson" => [.. fit.PearsonResiduals], "normalized" => [.. fit.NormalizedResiduals], _ => [.. fit.Residuals] };
            }
            else
            {
                if (kind == "normalized") throw new UsageException("--type normalized is nlme's (decorrelated residuals): give an lme() or gls() --call");
                if (model.FitAny(parse) is not LinearMixedModel m) throw new UsageException("residuals lists a linear mixed model's residuals; for a glmer fit use mixed plot residuals");
                fitted = [.. m.Fitted];
                residuals = m.ResidualsOf(kind switch { "pearson" => ResidualKind.Pearson, "scaled" => ResidualKind.Scaled, _ => ResidualKind.Response });
            }
            var table = new ResultTable("row", "fitted", "residual");
            for (int i = 0; i < fitted.Length; i++) table.Add(i + 1, fitted[i], residuals[i]);
            model.Write(parse, TextTables.Write(table, ModelOptions.ParseFormat(parse.GetValue(format))));
            return 0;
        });
        return cmd;
    }
}

using System.CommandLine;
using MixedModels.Reporting;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed varcov</c>: nlme's getVarCov() of an lme() or gls() fit.</summary>
internal static class VarCovCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var type = new Option<string?>("--type") { Description = "nlme's type: random.effects (lme's default), conditional or marginal (a gls fit's only one)" }
            .AcceptOnlyFromAmong("random.effects", "conditional", "marginal");
        var individual = new Option<int>("--individual") { Description = "The group (from 1: the level of the grouping factor, or a gls fit's correlation group) of a conditional or marginal matrix", DefaultValueFactory = _ => 1 };
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var cmd = new Command("varcov", "nlme's getVarCov(): the random effects' covariance matrix of an lme fit, or one group's conditional (errors) or marginal (random effects and errors) covariance.\n\n" +
            "Examples:\n  mixed varcov --data bodyweight --call \"lme(weight ~ Time * Diet, random = ~ Time | Rat, weights = varPower(), correlation = corCAR1(form = ~ Time))\"\n" +
            "  mixed varcov --data bodyweight --call \"lme(weight ~ Time * Diet, random = ~ Time | Rat, correlation = corCAR1(form = ~ Time))\" --type marginal --individual 2\n" +
            "  mixed varcov --data orthodont --call \"gls(distance ~ age * Sex, correlation = corSymm(form = ~ 1 | Subject), weights = varIdent(form = ~ 1 | age))\"");
        model.AddTo(cmd);
        foreach (Option o in new Option[] { type, individual, format }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            var fit = model.FitNlmeCall(parse, "varcov is nlme's getVarCov");
            string kind = parse.GetValue(type) ?? (fit.Design.RandomTerms.Count == 0 ? "marginal" : "random.effects");
            var v = kind == "random.effects" ? fit.RandomEffectsCovariance() : fit.GroupCovariance(parse.GetValue(individual), kind == "marginal");
            var f = ModelOptions.ParseFormat(parse.GetValue(format));
            if (f == TableFormat.Text)
            {
                model.Write(parse, v.ToString());
                return 0;
            }
            var names = v.Names ?? Enumerable.Range(1, v.Size).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var table = new ResultTable(["row", .. names]);
            for (int i = 0; i < v.Size; i++)
                table.Add([names[i], .. Enumerable.Range(0, v.Size).Select(j => (object)v[i, j])]);
            model.Write(parse, TextTables.Write(table, f));
            return 0;
        });
        return cmd;
    }
}

using System.CommandLine;
using MixedModels.Diagnostics;
using MixedModels.Reporting;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed influence</c>: the fit without each cluster, with Cook's distance.</summary>
internal static class InfluenceCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var group = new Option<string?>("--group") { Description = "The grouping factor whose levels are deleted one at a time (default: the first in the formula)" };
        var approximate = new Option<bool>("--approximate") { Description = "Hold θ at its estimate instead of re-optimizing it for each deletion (fast, for large data); a glmer fit is refitted with nAGQ = 0 instead" };
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var cmd = new Command("influence", "Influence of each cluster: the fixed effects, σ and Cook's distance of the fit without it.\n\n" +
            "Example:\n  mixed influence --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\" --group Subject");
        model.AddTo(cmd);
        foreach (Option o in new Option[] { group, approximate, format }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            var m = model.FitAny(parse);
            if (m.Design.RandomTerms.Count == 0) throw new UsageException("the model has no random-effects term, so it has no clusters to delete");
            string g = parse.GetValue(group) ?? m.Design.RandomTerms.OrderBy(t => t.FormulaIndex).First().GroupName;
            bool exact = !parse.GetValue(approximate);
            var rows = m is Results.GeneralizedLinearMixedModel glmm ? ClusterInfluence.Compute(glmm, g, exact) : ClusterInfluence.Compute((Results.LinearMixedModel)m, g, exact);
            model.Write(parse, TextTables.Write(DiagnosticTables.InfluenceTable(m, rows), ModelOptions.ParseFormat(parse.GetValue(format))));
            return 0;
        });
        return cmd;
    }
}

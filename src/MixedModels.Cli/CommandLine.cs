using System.CommandLine;
using MixedModels.Cli.Commands;

namespace MixedModels.Cli;

/// <summary>The `mixed` command tree (one place, so the tests run exactly what users run).</summary>
internal static class CommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("mixed: linear mixed-effects models with lme4 formulas (REML/ML), in .NET.\n\n" +
            "Examples:\n  mixed fit --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\"\n" +
            "  mixed compare --data sleepstudy --formula \"Reaction ~ Days + (1 | Subject)\" --formula \"Reaction ~ Days + (Days | Subject)\"\n" +
            "  mixed confint --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\" --method boot --nsim 1000");
        root.Add(FitCommand.Create());
        root.Add(NlmeCommand.Create(lme: true));
        root.Add(NlmeCommand.Create(lme: false));
        root.Add(AnovaCommand.Create());
        root.Add(CompareCommand.Create());
        root.Add(ConfintCommand.Create());
        root.Add(TidyCommand.Create());
        root.Add(VarianceCommand.Create());
        root.Add(RanefCommand.Create());
        root.Add(VarCovCommand.Create());
        root.Add(ResidualsCommand.Create());
        root.Add(AcfCommand.Create());
        root.Add(AcfCommand.CreateVariogram());
        root.Add(PredictCommand.Create());
        root.Add(SimulateCommand.Create());
        root.Add(InfluenceCommand.Create());
        root.Add(PlotCommand.Create());
        root.Add(ReportCommand.Create());
        root.Add(DescribeCommand.Create());
        root.Add(HeadCommand.Create());
        root.Add(DatasetsCommand.Create());
        root.Add(BenchCommand.Create());
        return root;
    }
}

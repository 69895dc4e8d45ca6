using System.CommandLine;
using MixedModels.Cli;
using MixedModels.Cli.Commands;

var root = new RootCommand("mixed: linear mixed-effects models with lme4 formulas (REML/ML), in .NET.\n\n" +
    "Example:\n  mixed fit --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\"");
root.Add(FitCommand.Create());
root.Add(DatasetsCommand.Create());
return CliRunner.Run(root, args);

using MixedModels.Cli;

return CliRunner.Run(CommandLine.Create(), args);

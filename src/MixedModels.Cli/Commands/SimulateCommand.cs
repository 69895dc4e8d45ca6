using System.CommandLine;
using MixedModels.Reporting;
using MixedModels.Results;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed simulate</c>: responses drawn from the fitted model.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var nsim = new Option<int>("--nsim") { Description = "Number of simulated responses", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed (the same seed gives the same responses)", DefaultValueFactory = _ => 1 };
        var format = ModelOptions.FormatOption("csv", "json", "text", "markdown");
        var cmd = new Command("simulate", "Simulate responses from the fitted model (lme4's simulate): one column sim_1, sim_2, … per simulation, one row per observation used (with --family: the family's responses, binomial ones as proportions of the trials).\n\n" +
            "Example:\n  mixed simulate --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\" --nsim 100 --seed 42 --output sims.csv");
        model.AddTo(cmd);
        foreach (Option o in new Option[] { nsim, seed, format }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            int count = parse.GetValue(nsim);
            if (count < 1) throw new UsageException($"--nsim {count}: simulate at least one response");
            var sims = model.FitAny(parse) switch
            {
                GeneralizedLinearMixedModel g => g.Simulate(count, parse.GetValue(seed)),
                var any => ((LinearMixedModel)any).Simulate(count, parse.GetValue(seed)),
            };
            model.Write(parse, TextTables.Write(DiagnosticTables.SimulationTable(sims), ModelOptions.ParseFormat(parse.GetValue(format))));
            return 0;
        });
        return cmd;
    }
}

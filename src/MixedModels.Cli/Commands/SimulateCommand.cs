using System.CommandLine;
using System.Globalization;
using MixedModels.Reporting;
using MixedModels.Results;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed simulate</c>: responses drawn from the fitted model.</summary>
internal static class SimulateCommand
{
    /// <summary>
    /// The most values (observations × simulations) the wide layout holds in memory; beyond it the long layout, which
    /// streams one simulation at a time, is asked for.
    /// </summary>
    internal const long MaxWideValues = 20_000_000;

    public static Command Create()
    {
        var model = new ModelOptions();
        var nsim = new Option<int>("--nsim") { Description = "Number of simulated responses", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed (the same seed gives the same responses)", DefaultValueFactory = _ => 1 };
        var layout = new Option<string>("--layout") { Description = "wide: one column per simulation (lme4's data frame); long: CSV rows sim,obs,value, streamed one simulation at a time (any --nsim)", DefaultValueFactory = _ => "wide" };
        layout.AcceptOnlyFromAmong("wide", "long");
        var format = ModelOptions.FormatOption("csv", "json", "text", "markdown");
        var cmd = new Command("simulate", "Simulate responses from the fitted model (lme4's simulate): one column sim_1, sim_2, … per simulation, one row per observation used (with --family: the family's responses, binomial ones as proportions of the trials); --layout long streams rows sim,obs,value instead.\n\n" +
            "Example:\n  mixed simulate --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\" --nsim 100 --seed 42 --output sims.csv");
        model.AddTo(cmd);
        foreach (Option o in new Option[] { nsim, seed, layout, format }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            int count = parse.GetValue(nsim);
            if (count < 1) throw new UsageException($"--nsim {count}: simulate at least one response");
            bool wide = parse.GetValue(layout) != "long";
            int s0 = parse.GetValue(seed);
            IEnumerable<double[]> each;
            int observations;
            if (model.Models(parse)[0].Call is { HasStructures: true } call)
            {
                // nlme's structures: errors drawn from each group's σ² G C G.
                var nlme = model.FitNlme(parse, model.Data(parse), call);
                (each, observations) = (nlme.SimulateEach(count, s0), nlme.Observations);
            }
            else
            {
                var fit = model.FitAny(parse);
                each = fit switch
                {
                    GeneralizedLinearMixedModel g => g.SimulateEach(count, s0),
                    var any => ((LinearMixedModel)any).SimulateEach(count, s0),
                };
                observations = fit.Observations;
            }
            if (!wide)
            {
                if (parse.GetValue(format) != "csv") throw new UsageException("--layout long writes CSV rows (sim,obs,value); leave --format at csv");
                Output.WriteStreaming(parse, model.OutputPath(parse), w => WriteLong(w, each));
                return 0;
            }
            long values = (long)count * observations;
            if (values > MaxWideValues)
                throw new UsageException($"--nsim {count} × {observations} observations = {values:N0} values is too many to hold for the wide layout (at most {MaxWideValues:N0}); use --layout long, which streams them");
            var sims = each.ToArray();
            model.Write(parse, TextTables.Write(DiagnosticTables.SimulationTable(sims), ModelOptions.ParseFormat(parse.GetValue(format))));
            return 0;
        });
        return cmd;
    }

    /// <summary>Rows sim,obs,value (1-based), one simulation at a time.</summary>
    private static void WriteLong(TextWriter w, IEnumerable<double[]> simulations)
    {
        w.Write("sim,obs,value\n");
        int s = 0;
        foreach (var y in simulations)
        {
            s++;
            for (int i = 0; i < y.Length; i++)
            {
                w.Write(s.ToString(CultureInfo.InvariantCulture));
                w.Write(',');
                w.Write((i + 1).ToString(CultureInfo.InvariantCulture));
                w.Write(',');
                w.Write(double.IsFinite(y[i]) ? y[i].ToString("R", CultureInfo.InvariantCulture) : "");
                w.Write('\n');
            }
        }
    }
}

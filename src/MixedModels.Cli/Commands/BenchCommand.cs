using System.CommandLine;
using MixedModels.Benchmarks;
using MixedModels.Reporting;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed bench</c>: fits the benchmark suite and reports medians, evaluations and memory.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var only = new Option<string[]>("--only") { Description = $"Run only this model (repeatable): {string.Join(", ", BenchmarkSuite.Models.Select(m => m.Name))}" };
        var runs = new Option<int>("--max-runs") { Description = "The most timed fits per model (after a warm-up fit); each model stops after 5 s once 3 fits are timed", DefaultValueFactory = _ => 100 };
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var output = Output.FileOption();
        var export = new Option<string?>("--export") { Description = "Instead of timing, write each model's data to DIR/NAME.csv (for tools/bench-lme4.R)" };
        var cmd = new Command("bench", "Fit the benchmark models (the ones tools/bench-lme4.R fits in R) from tables in memory and report, per model, " +
            "the median fit time, evaluations, time per evaluation, allocated bytes and peak managed memory. Build in Release for meaningful numbers.\n\n" +
            "Examples:\n  mixed bench --only sleepstudy --only insteval\n  mixed bench --format json --output bench.json\n  mixed bench --export /tmp/mixed-bench-data")
        {
            only, runs, format, output, export,
        };
        cmd.SetAction(parse =>
        {
            var names = parse.GetValue(only) ?? [];
            var models = names.Length == 0 ? BenchmarkSuite.Models.ToList() : names.Select(BenchmarkSuite.Get).ToList();
            if (parse.GetValue(export) is { } dir)
            {
                try
                {
                    foreach (var path in BenchmarkSuite.Export(dir, models)) parse.InvocationConfiguration.Output.WriteLine(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UsageException($"cannot write to '{dir}': {e.Message}");
                }
                return 0;
            }
            int maxRuns = parse.GetValue(runs);
            if (maxRuns < 1) throw new UsageException($"--max-runs must be at least 1, not {maxRuns}");
            var options = new BenchmarkRunOptions { MaxRuns = maxRuns, MinRuns = Math.Min(3, maxRuns) };
            var results = new List<BenchmarkResult>();
            using (var bar = ProgressBar.Start("benchmarks", models.Count))
                for (int i = 0; i < models.Count; i++)
                {
                    bar?.Report(i);
                    results.Add(BenchmarkSuite.Run(models[i], options));
                }
            var fmt = ModelOptions.ParseFormat(parse.GetValue(format));
            Output.Write(parse, parse.GetValue(output), TextTables.Write(Table(results), fmt));
            return 0;
        });
        return cmd;
    }

    private static ResultTable Table(IEnumerable<BenchmarkResult> results)
    {
        var t = new ResultTable("name", "median_ms", "evaluations", "objective", "allocated_bytes", "ms_per_evaluation", "peak_managed_mb", "runs", "min_ms");
        t.Digits["objective"] = 12;
        foreach (var r in results)
            t.Add(r.Name, r.MedianMs, r.Evaluations, r.Objective, r.AllocatedBytes, r.MsPerEvaluation, r.PeakManagedBytes / (1024.0 * 1024.0), r.Runs, r.MinMs);
        return t;
    }
}

using System.Diagnostics;
using MixedModels.Data;
using MixedModels.Estimation;
using MixedModels.Results;

namespace MixedModels.Benchmarks;

/// <summary>One model of the benchmark suite: its name, data, formula and criterion.</summary>
/// <param name="Name">The name used by <c>mixed bench --only</c> and in tools/bench-lme4.R.</param>
/// <param name="Formula">The lme4 formula.</param>
/// <param name="Reml">True for REML, false for ML.</param>
/// <param name="Description">A one-line description of the data.</param>
/// <param name="Data">Produces the data (an embedded data set or a seeded simulation); called once and cached.</param>
/// <param name="Family">The family of a generalized model (glmer, Laplace), or null for a linear mixed model.</param>
/// <param name="Robust">True for a robust fit (robustlmm's rlmer with its defaults, timed by tools/bench-robustlmm.R).</param>
/// <param name="Nlme">True when <paramref name="Formula"/> is an nlme call, gls(...) or lme(...) (timed by tools/bench-nlme.R).</param>
internal sealed record BenchmarkModel(string Name, string Formula, bool Reml, string Description, Func<Table> Data, string? Family = null, bool Robust = false,
    bool Nlme = false);

/// <summary>One fit of a benchmark model: its iterations (objective evaluations, or a robust fit's outer iterations) and criterion.</summary>
internal sealed record BenchmarkFit(object Model, int Evaluations, double Criterion);

/// <summary>What a benchmark run measured for one model.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Runs">The number of timed fits (after the untimed warm-up fits).</param>
/// <param name="MedianMs">The median wall-clock time of a fit from the table in memory (design, optimization, result), ms.</param>
/// <param name="MinMs">The fastest timed fit, ms.</param>
/// <param name="Evaluations">The objective evaluations of one fit.</param>
/// <param name="Objective">The criterion at the optimum (−2 log-likelihood, or the REML criterion; σ̂ of a robust fit, which has no objective).</param>
/// <param name="AllocatedBytes">Managed bytes allocated by one fit (all threads).</param>
/// <param name="PeakManagedBytes">The largest managed heap growth above the pre-fit heap observed during one fit (sampled every 2 ms).</param>
internal sealed record BenchmarkResult(string Name, int Runs, double MedianMs, double MinMs, int Evaluations, double Objective,
    long AllocatedBytes, long PeakManagedBytes)
{
    /// <summary>The median fit time divided by the evaluations, ms.</summary>
    public double MsPerEvaluation => Evaluations > 0 ? MedianMs / Evaluations : double.NaN;
}

/// <summary>How long to measure each model.</summary>
internal sealed record BenchmarkRunOptions
{
    /// <summary>The most timed fits per model. Default 100.</summary>
    public int MaxRuns { get; init; } = 100;

    /// <summary>The fewest timed fits per model. Default 3.</summary>
    public int MinRuns { get; init; } = 3;

    /// <summary>Untimed warm-up fits (after the first) continue for this long. Default 2 s.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Stop adding fits once this much time was spent on a model (after <see cref="MinRuns"/>). Default 5 s.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The benchmark suite of issue 6 — the same models tools/bench-lme4.R fits in R — and a Stopwatch runner that
/// reports medians, evaluations, allocation and peak managed memory (the CLI's <c>mixed bench</c>). The
/// BenchmarkDotNet project (bench/MixedModels.Bench) measures the same models with its own statistics.
/// </summary>
internal static class BenchmarkSuite
{
    /// <summary>The models, in the order of the issue.</summary>
    public static IReadOnlyList<BenchmarkModel> Models { get; } =
    [
        new("sleepstudy", "Reaction ~ Days + (Days | Subject)", true, "embedded sleepstudy, 180 rows", () => Datasets.Load("sleepstudy")),
        new("penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)", true, "embedded penicillin, 144 rows, crossed", () => Datasets.Load("penicillin")),
        new("pastes", "strength ~ 1 + (1 | batch/cask)", true, "embedded pastes, 60 rows, nested", () => Datasets.Load("pastes")),
        new("hsb", "MathAch ~ SES * Sector + MEANSES + Sex + Minority + (SES | School)", true, "embedded hsb, 7185 rows, 160 schools", () => Datasets.Load("hsb")),
        new("insteval", "y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept)", false, "embedded insteval, 73421 rows, ML", () => Datasets.Load("insteval")),
        new("kb07like", "y ~ 1 + a + b + c + (1 + a + b + c | subj) + (1 + a + b + c | item)", true,
            "embedded kb07like, 1800 rows, 56 x 32 crossed, maximal 4-dimensional terms", () => Datasets.Load("kb07like")),
        new("nested1m", "y ~ x1 + x2 + (1 + x1 | g)", true, "simulated, 1,000,000 rows, 20,000 groups (seed 1)", () => SyntheticData.Nested()),
        new("crossed500k", "y ~ 1 + (1 | a) + (1 | b)", true, "simulated, 500,000 rows, 5,000 x 2,000 crossed (seed 2)", () => SyntheticData.Crossed()),
        new("ml1m", "y ~ 1 + (1 | user) + (1 | movie)", true,
            "simulated, 1,000,000 ratings, 6,040 users x 3,706 movies crossed, MovieLens-like skewed counts (seed 5)", () => SyntheticData.MovieLensLike()),
        new("cbpp", "cbind(incidence, size - incidence) ~ period + (1 | herd)", false, "embedded cbpp, 56 rows, binomial glmer", () => Datasets.Load("cbpp"), "binomial"),
        new("verbagg", "r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)", false, "embedded verbagg, 7584 rows, binary, 316 x 24 crossed", () => Datasets.Load("verbagg"), "binomial"),
        new("grouseticks", "TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | INDEX) + (1 | LOCATION)", false, "embedded grouseticks, 403 rows, Poisson, nested", () => Datasets.Load("grouseticks"), "poisson"),
        new("binary1m", "y ~ x + (1 + x | g)", false, "simulated, 1,000,000 binary rows, 20,000 groups (seed 3), binomial glmer", () => SyntheticData.Binary(), "binomial"),
        new("rlmer-rehab", "resemblance ~ intervention + gep_level + tse_months + (intervention | id_clin)", true,
            "embedded rehab, 190 rows, 10 clinics, robust (rlmer DAStau)", () => Datasets.Load("rehab"), Robust: true),
        new("rlmer-sleepstudy", "Reaction ~ Days + (Days | Subject)", true, "embedded sleepstudy, 180 rows, robust (rlmer DAStau)", () => Datasets.Load("sleepstudy"), Robust: true),
        new("rlmer-hsb", "MathAch ~ SES + (SES | School)", true, "embedded hsb, 7185 rows, 160 schools, robust (rlmer DAStau)", () => Datasets.Load("hsb"), Robust: true),
        new("gls-ovary-ar1", "gls(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), data = Ovary, correlation = corAR1(form = ~ 1 | Mare))", true,
            "embedded Ovary, 308 rows, 11 mares, gls with AR(1) errors", () => Datasets.Load("ovary"), Nlme: true),
        new("lme-ovary-ar1", "lme(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), data = Ovary, random = ~ 1 | Mare, correlation = corAR1())", true,
            "embedded Ovary, 308 rows, lme with AR(1) errors", () => Datasets.Load("ovary"), Nlme: true),
        new("lme-bodyweight-car1-power", "lme(weight ~ Time * Diet, data = BodyWeight, random = ~ Time | Rat, weights = varPower(), correlation = corCAR1(form = ~ Time))", true,
            "embedded BodyWeight, 176 rows, 16 rats, lme with continuous AR(1) errors and varPower of the fitted values", () => Datasets.Load("bodyweight"), Nlme: true),
        new("gls-orthodont-symm", "gls(distance ~ age * Sex, data = Orthodont, correlation = corSymm(form = ~ 1 | Subject), weights = varIdent(form = ~ 1 | age))", true,
            "embedded Orthodont, 108 rows, 27 children, gls with unstructured covariance (corSymm + varIdent)", () => Datasets.Load("orthodont"), Nlme: true),
        new("lme-longitudinal-ar1", "lme(y ~ time, data = longitudinal, random = ~ time | id, correlation = corAR1())", true,
            "simulated, 100,000 rows, 10,000 people x 10 visits (seed 4), random intercept and slope, AR(1) errors", () => SyntheticData.Longitudinal(), Nlme: true),
    ];

    private static readonly Dictionary<string, Table> Tables = new(StringComparer.Ordinal);

    /// <summary>The model with this name; an error lists the names when there is none.</summary>
    public static BenchmarkModel Get(string name) =>
        Models.FirstOrDefault(m => m.Name == name)
        ?? throw new MixedModelsException($"there is no benchmark '{name}'. Benchmarks: {string.Join(", ", Models.Select(m => m.Name))}");

    /// <summary>The model's data (generated or loaded once, then kept).</summary>
    public static Table DataOf(BenchmarkModel model)
    {
        lock (Tables)
        {
            if (!Tables.TryGetValue(model.Name, out var t)) Tables[model.Name] = t = model.Data();
            return t;
        }
    }

    /// <summary>
    /// Writes each model's data to <paramref name="directory"/>/NAME.csv (for tools/bench-lme4.R, so that R fits the
    /// same simulated rows); returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> Export(string directory, IEnumerable<BenchmarkModel> models)
    {
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var m in models)
        {
            string path = Path.Combine(directory, m.Name + ".csv");
            // A temporary file in the same folder, then a rename: an interrupted export leaves no truncated CSV.
            string temp = Path.Combine(directory, $".{m.Name}.csv.{Environment.ProcessId}.tmp");
            try
            {
                using (var w = new StreamWriter(temp)) DataOf(m).WriteCsv(w);
                File.Move(temp, path, overwrite: true);
            }
            finally { if (File.Exists(temp)) File.Delete(temp); }
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>Fits the model once from its table.</summary>
    public static BenchmarkFit Fit(BenchmarkModel model)
    {
        if (model.Robust)
        {
            var r = RobustLinearMixedModel.Fit(model.Formula, DataOf(model), dataName: model.Name);
            return new BenchmarkFit(r, r.Iterations, r.Sigma);
        }
        if (model.Nlme)
        {
            var n = ModelCall.Parse(model.Formula).FitNlme(DataOf(model), dataName: model.Name);
            return new BenchmarkFit(n, n.Optimization.Evaluations, -2 * n.LogLikelihood);
        }
        IMixedModel fit = model.Family is { } family
            ? GeneralizedLinearMixedModel.Fit(model.Formula, DataOf(model), new GlmmFitOptions { Family = Families.Family.Create(family) }, dataName: model.Name)
            : LinearMixedModel.Fit(model.Formula, DataOf(model), new FitOptions { Reml = model.Reml }, dataName: model.Name);
        return new BenchmarkFit(fit, fit.Optimization.Evaluations, Criterion(fit));
    }

    /// <summary>The criterion a fit optimized: the REML criterion, or −2 log-likelihood (lme4's deviance; glmer's Laplace approximation).</summary>
    public static double Criterion(IMixedModel fit) => fit is LinearMixedModel l ? l.Objective : -2 * fit.LogLikelihood;

    /// <summary>
    /// Measures one model: the data are prepared first (not timed), warm-up fits, then timed fits until
    /// <see cref="BenchmarkRunOptions.MaxRuns"/> or the time budget; allocation and peak memory of one more fit.
    /// </summary>
    public static BenchmarkResult Run(BenchmarkModel model, BenchmarkRunOptions? options = null)
    {
        options ??= new BenchmarkRunOptions();
        DataOf(model);
        // Warm-up: long enough for the JIT's tiered compilation (tier 0, instrumented, then optimized with profile
        // data) to settle, as BenchmarkDotNet's warm-up does, so the timed fits run the final code.
        var warm = Fit(model);
        var warmClock = Stopwatch.StartNew();
        while (warmClock.Elapsed < options.WarmUp) Fit(model);
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < options.MaxRuns && (times.Count < options.MinRuns || total.Elapsed < options.Budget))
        {
            long start = Stopwatch.GetTimestamp();
            Fit(model);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        double median = Statistics.Quantiles(times, [0.5])[0];
        var (allocated, peak) = MeasureMemory(model);
        return new BenchmarkResult(model.Name, times.Count, median, times.Min(), warm.Evaluations, warm.Criterion, allocated, peak);
    }

    private static (long Allocated, long Peak) MeasureMemory(BenchmarkModel model)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long baseline = GC.GetTotalMemory(true);
        long sampled = 0;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            long max = 0;
            do max = Math.Max(max, GC.GetTotalMemory(false) - baseline);
            while (!done.Wait(2));
            sampled = max;
        }) { IsBackground = true };
        long before = GC.GetTotalAllocatedBytes(true);
        sampler.Start();
        var fit = Fit(model);
        long allocated = GC.GetTotalAllocatedBytes(true) - before;
        long after = GC.GetTotalMemory(false) - baseline;
        done.Set();
        sampler.Join();
        GC.KeepAlive(fit);
        return (allocated, Math.Max(0, Math.Max(sampled, after)));
    }
}

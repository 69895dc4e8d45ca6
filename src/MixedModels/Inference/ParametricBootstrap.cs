using MixedModels.Estimation;
using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>
/// Parametric bootstrap (lme4's <c>bootMer</c>, MixedModels.jl's <c>parametricbootstrap</c>): responses are simulated
/// from the fitted model and the model is refitted to each. Replicate i draws from its own generator seeded from
/// (seed, i), so results do not depend on how the replicates are spread over threads; every core is used, each with
/// its own workspace whose response is replaced — one replicate costs one refit, no parsing or design building.
/// </summary>
public sealed class ParametricBootstrap
{
    private readonly double[,] _values;

    private ParametricBootstrap(string[] names, double[] estimates, double[,] values, int failed)
    {
        ParameterNames = names.AsReadOnly();
        Estimates = estimates.AsReadOnly();
        _values = values;
        Failed = failed;
    }

    /// <summary>The parameters: fixed effects, then lme4's sd_/cor_ names of the random effects, then sigma.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>The estimates of the original fit, in <see cref="ParameterNames"/> order.</summary>
    public IReadOnlyList<double> Estimates { get; }

    /// <summary>The number of replicates.</summary>
    public int Replicates => _values.GetLength(0);

    /// <summary>Replicates whose refit did not converge (kept, as lme4 keeps them).</summary>
    public int Failed { get; }

    /// <summary>
    /// The most replicates a bootstrap runs: each is a refit and its estimates are kept (a million replicates of ten
    /// parameters are 80 MB); more is refused rather than run out of memory or for years.
    /// </summary>
    public const int MaxReplicates = 1_000_000;

    /// <summary>Refuses a replicate count outside [minimum, <see cref="MaxReplicates"/>], naming the argument.</summary>
    internal static void CheckReplicates(int replicates, int minimum)
    {
        if (replicates < minimum || replicates > MaxReplicates)
            throw new ArgumentOutOfRangeException(nameof(replicates), replicates, $"the number of bootstrap replicates must be between {minimum} and {MaxReplicates:N0}");
    }

    /// <summary>Replicate r's value of parameter p.</summary>
    public double Value(int replicate, int parameter) => _values[replicate, parameter];

    /// <summary>Percentile intervals for every parameter (R's type 7 quantiles of the replicates).</summary>
    public IReadOnlyList<ConfidenceInterval> PercentileIntervals(double level = 0.95)
    {
        Level.Check(level);
        var result = new List<ConfidenceInterval>();
        for (int p = 0; p < ParameterNames.Count; p++)
        {
            var column = Enumerable.Range(0, Replicates).Select(r => _values[r, p]).Where(v => !double.IsNaN(v)).ToArray();
            var q = Statistics.Quantiles(column, [(1 - level) / 2, (1 + level) / 2]);
            result.Add(new ConfidenceInterval(ParameterNames[p], Estimates[p], q[0], q[1]));
        }
        return result.AsReadOnly();
    }

    /// <summary>Runs <paramref name="replicates"/> replicates with the given seed; <paramref name="progress"/> hears each completed replicate.</summary>
    public static ParametricBootstrap Run(LinearMixedModel model, int replicates, int seed, IProgress<int>? progress = null, int? threads = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckReplicates(replicates, 1);
        var design = model.Design;
        var names = model.FixedEffects.Select(f => f.Name).Concat(VarianceScale.Names(design)).ToArray();
        var estimates = model.FixedEffects.Select(f => f.Estimate).Concat(VarianceScale.FromTheta(design, model.Theta, model.Sigma)).ToArray();
        var values = new double[replicates, names.Length];
        int failed = 0, done = 0;
        var simulator = new ResponseSimulator(model);
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount, CancellationToken = cancellation };
        Parallel.For(0, replicates, options,
            () => (Workspace: new LmmWorkspace(design, model.Reml), Y: new double[model.Observations]),
            (r, _, local) =>
            {
                simulator.Simulate(ReplicateSeed(seed, r), local.Y);
                var fit = Refit(local.Workspace, local.Y, model);
                if (!fit.Converged) Interlocked.Increment(ref failed);
                var beta = local.Workspace.Beta();
                var sv = VarianceScale.FromTheta(design, fit.X, Math.Sqrt(local.Workspace.SigmaSquared()));
                for (int j = 0; j < beta.Length; j++) values[r, j] = beta[j];
                for (int j = 0; j < sv.Length; j++) values[r, beta.Length + j] = sv[j];
                progress?.Report(Interlocked.Increment(ref done));
                return local;
            },
            _ => { });
        return new ParametricBootstrap(names, estimates, values, failed);
    }

    /// <summary>
    /// A bootstrap likelihood-ratio test of <paramref name="null"/> against the larger <paramref name="alternative"/>:
    /// responses are simulated from the null model, both models are refitted by ML, and the p-value is the share of
    /// replicate statistics at least as large as the observed one (counting the observed one).
    /// </summary>
    public static (double Statistic, double PValue, int Replicates) LikelihoodRatioTest(LinearMixedModel @null, LinearMixedModel alternative,
        int replicates, int seed, IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(@null);
        ArgumentNullException.ThrowIfNull(alternative);
        CheckReplicates(replicates, 1);
        var m0 = @null.Reml ? @null.Refit(reml: false) : @null;
        var m1 = alternative.Reml ? alternative.Refit(reml: false) : alternative;
        if (!m0.Design.Frame.KeptRows.SequenceEqual(m1.Design.Frame.KeptRows))
            throw new ModelException("the two models were not fitted to the same rows; a likelihood-ratio test needs the same data");
        double observed = 2 * (m1.LogLikelihood - m0.LogLikelihood);
        var simulator = new ResponseSimulator(m0);
        int exceed = 0, done = 0;
        Parallel.For(0, replicates, new ParallelOptions { CancellationToken = cancellation },
            () => (W0: new LmmWorkspace(m0.Design, false), W1: new LmmWorkspace(m1.Design, false), Y: new double[m0.Observations]),
            (r, _, local) =>
            {
                simulator.Simulate(ReplicateSeed(seed, r), local.Y);
                double d0 = Refit(local.W0, local.Y, m0).Value;
                double d1 = Refit(local.W1, local.Y, m1).Value;
                if (d0 - d1 >= observed - 1e-10 * Math.Abs(observed)) Interlocked.Increment(ref exceed);
                progress?.Report(Interlocked.Increment(ref done));
                return local;
            },
            _ => { });
        return (observed, (exceed + 1.0) / (replicates + 1.0), replicates);
    }

    /// <summary>Refits a workspace to a new response, starting from the original estimates (with a small trust region: the replicate's optimum is near).</summary>
    private static OptimizationResult Refit(LmmWorkspace ws, double[] y, LinearMixedModel model)
    {
        ws.SetResponse(y);
        var design = model.Design;
        if (design.ThetaLength == 0)
        {
            double v = ws.Objective([]);
            return new OptimizationResult([], v, 1, OptimizationStatus.Converged);
        }
        var map = ParameterMap.Theta(design);
        var lower = map.Lower.ToArray();
        var start = model.Theta.Select((t, i) => lower[i] == 0 ? Math.Max(t, 0.05) : t).ToArray();
        var opt = BobyqaOptimizer.NearStart.Minimize(ws.Objective, start, map);
        ws.Objective(opt.X);
        return opt;
    }

    /// <summary>A seed for replicate r, mixed from the user's seed so that nearby replicates get unrelated streams.</summary>
    internal static int ReplicateSeed(int seed, int r)
    {
        ulong z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)(uint)r + 1;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }
}

using System.Diagnostics;
using MixedModels.Estimation;
using MixedModels.LinearAlgebra;
using MixedModels.Results;

namespace MixedModels.Bench;

/// <summary>
/// A quick Stopwatch measurement for development (`dotnet run -c Release -- quick [model]`): median of repeated
/// fits and objective evaluations. The numbers in closing notes come from the BenchmarkDotNet runs.
/// </summary>
internal static class QuickBench
{
    public static void Run(string[] names)
    {
        var models = names.Length == 0 ? BenchModels.All : names.Select(BenchModels.Get).ToArray();
        foreach (var m in models)
        {
            var design = BenchModels.Design(m);
            var fit = LinearMixedModel.Fit(design, new FitOptions { Reml = m.Reml });
            var ws = new LmmWorkspace(design, m.Reml);
            var theta = fit.Theta.ToArray();
            int reps = fit.Observations > 50000 ? 5 : 2000;
            for (int i = 0; i < Math.Min(reps, 200); i++) ws.Objective(theta);
            double evalMs = Time(() => { for (int i = 0; i < reps; i++) ws.Objective(theta); }) / reps;
            double fitMs = Median(Enumerable.Range(0, Repeats(fit, 30)).Select(_ => Time(() => LinearMixedModel.Fit(design, new FitOptions { Reml = m.Reml }))));
            Console.WriteLine($"{m.Name,-12} fit {fitMs,10:F2} ms  evaluations {fit.Optimization.Evaluations,4}  objective {evalMs,9:F3} ms  value {fit.Objective:R}");
        }
        int n = 1128;
        var a = RandomSpd(n, 1);
        var w = new double[a.Length];
        double cholMs = Median(Enumerable.Range(0, 5).Select(_ => { a.CopyTo(w, 0); return Time(() => DenseKernels.Cholesky(w, n, n)); }));
        Console.WriteLine($"dense Cholesky n={n}: {cholMs:F2} ms ({n / 3.0 * n * n / cholMs / 1e6:F2} GFlop/s)");
    }

    private static int Repeats(LinearMixedModel fit, int max) => fit.Observations > 50000 ? Math.Min(3, max) : max;

    private static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalMilliseconds;
    }

    private static double Median(IEnumerable<double> xs)
    {
        var s = xs.Order().ToArray();
        return s[s.Length / 2];
    }

    /// <summary>A random symmetric positive definite n × n matrix (column-major, full).</summary>
    public static double[] RandomSpd(int n, int seed)
    {
        var rnd = new Random(seed);
        int k = 32;
        var b = new double[n * k];
        for (int i = 0; i < b.Length; i++) b[i] = rnd.NextDouble() - 0.5;
        var a = new double[n * n];
        for (int j = 0; j < n; j++)
            for (int i = j; i < n; i++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += b[p * n + i] * b[p * n + j];
                if (i == j) s += n;
                a[j * n + i] = s;
                a[i * n + j] = s;
            }
        return a;
    }
}

using BenchmarkDotNet.Attributes;
using MixedModels.LinearAlgebra;

namespace MixedModels.Bench;

/// <summary>The dense Cholesky kernel at the sizes of insteval's (1128) and crossed500k's (2000) filled-in blocks.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class KernelBenchmarks
{
    private double[] _a = [], _work = [];

    [Params(256, 1128, 2000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _a = RandomSpd(N, 1);
        _work = new double[_a.Length];
    }

    /// <summary>A random symmetric positive definite n × n matrix (column-major, full): B B' + n I, B n × 32.</summary>
    private static double[] RandomSpd(int n, int seed)
    {
        var rnd = new Random(seed);
        const int k = 32;
        var b = new double[n * k];
        for (int i = 0; i < b.Length; i++) b[i] = rnd.NextDouble() - 0.5;
        var a = new double[n * n];
        for (int j = 0; j < n; j++)
            for (int i = j; i < n; i++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += b[p * n + i] * b[p * n + j];
                if (i == j) s += n;
                a[j * n + i] = a[i * n + j] = s;
            }
        return a;
    }

    [Benchmark]
    public bool DenseCholesky()
    {
        _a.CopyTo(_work, 0);
        return DenseKernels.Cholesky(_work, N, N);
    }
}

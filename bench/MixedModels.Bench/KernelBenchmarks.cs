using BenchmarkDotNet.Attributes;
using MixedModels.LinearAlgebra;

namespace MixedModels.Bench;

/// <summary>The dense Cholesky kernel on a positive definite matrix of the size insteval's crossed block needs.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class KernelBenchmarks
{
    private double[] _a = [], _work = [];

    [Params(256, 1128)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _a = QuickBench.RandomSpd(N, 1);
        _work = new double[_a.Length];
    }

    [Benchmark]
    public bool DenseCholesky()
    {
        _a.CopyTo(_work, 0);
        return DenseKernels.Cholesky(_work, N, N);
    }
}

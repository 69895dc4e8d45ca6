using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;
using Xunit;

namespace MixedModels.Tests.Estimation;

/// <summary>
/// Runs alone (after the parallel tests): the allocation counter of a thread is only exact when no other test
/// allocates and collects garbage at the same time.
/// </summary>
[CollectionDefinition(nameof(AllocationMeasurement), DisableParallelization = true)]
public sealed class AllocationMeasurement;

[Collection(nameof(AllocationMeasurement))]
public sealed class WorkspaceTests
{
    [Theory]
    [InlineData("sleepstudy", "Reaction ~ Days + (Days | Subject)")]
    [InlineData("penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)")]
    [InlineData("pastes", "strength ~ 1 + (1 | batch/cask)")]
    [InlineData("hsb", "MathAch ~ SES * Sector + MEANSES + Sex + Minority + (SES | School)")]
    [InlineData("insteval", "y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept)")]
    [InlineData("kb07like", "y ~ 1 + a + b + c + (1 + a + b + c | subj) + (1 + a + b + c | item)")]
    [InlineData("nested", "y ~ x1 + x2 + (1 + x1 | g)")]
    [InlineData("crossed", "y ~ 1 + (1 | a) + (1 | b)")]
    public void AnObjectiveEvaluationAllocatesNothing(string data, string formula)
    {
        // Smaller versions of the benchmark suite's simulated designs (same generators, same block types).
        var table = data switch
        {
            "nested" => MixedModels.Benchmarks.SyntheticData.Nested(50_000, 1_000),
            "crossed" => MixedModels.Benchmarks.SyntheticData.Crossed(50_000, 1_500, 600),
            _ => Datasets.Load(data),
        };
        var design = ModelDesign.Build(formula, table);
        var ws = new LmmWorkspace(design);
        var theta = design.InitialTheta();
        // Warm up with the same θ values that are measured: the first call of a kernel (here, a diagonal of T other
        // than 1 reaching the column scaling) is JIT-compiled, and the runtime may allocate while it loads types.
        // What must be 0 is the steady state, as BenchmarkDotNet's memory diagnoser measures it.
        void Evaluate()
        {
            for (int i = 0; i < 10; i++) { theta[0] = 0.5 + 0.01 * i; ws.Objective(theta); }
        }
        Assert.Equal(0, SteadyStateAllocation(Evaluate));
    }

    /// <summary>
    /// The bytes this thread allocates running <paramref name="evaluate"/> once warmed up: three warm-up runs (the
    /// JIT's tiers and call-counting stubs settle), then the smaller of two measured runs, so that a one-off runtime
    /// allocation during tier-up is not counted while any allocation of the evaluation itself still is.
    /// </summary>
    internal static long SteadyStateAllocation(Action evaluate)
    {
        for (int i = 0; i < 3; i++) evaluate();
        long best = long.MaxValue;
        for (int i = 0; i < 2; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            evaluate();
            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return best;
    }

    [Fact]
    public void ObjectiveAtLme4ThetaReproducesLme4Criterion()
    {
        var ws = new LmmWorkspace(ModelDesign.Build("Reaction ~ Days + (Days | Subject)", Datasets.Load("sleepstudy")));
        Assert.Equal(1743.62827196, ws.Objective([0.966741773967, 0.015169058896, 0.230909953208]), 6);
        Assert.Equal(8, ws.Evaluations + 7);
    }

    [Fact]
    public void RejectsThetaOfTheWrongLength()
    {
        var ws = new LmmWorkspace(ModelDesign.Build("Reaction ~ Days + (Days | Subject)", Datasets.Load("sleepstudy")));
        Assert.Throws<ArgumentException>(() => ws.Objective([1.0]));
    }
}

using MixedModels.Estimation;
using Xunit;

namespace MixedModels.Tests.Estimation;

/// <summary>The start's objective handed to BOBYQA is used once, at that point only.</summary>
public sealed class KnownValueTests
{
    [Fact]
    public void TheKnownValueIsReturnedOnceAtItsPointAndTheObjectiveEverywhereElse()
    {
        int calls = 0;
        ObjectiveFunction f = x => { calls++; return x[0] * x[0] + x[1]; };
        var known = new KnownValue(f, [1.0, 2.0], 42.0);
        Assert.Equal(42.0, known.Objective([1.0, 2.0]));
        Assert.Equal(0, calls);
        Assert.Equal(1, known.Used);
        Assert.Equal(3.0, known.Objective([1.0, 2.0]));
        Assert.Equal(5.0, known.Objective([2.0, 1.0]));
        Assert.Equal(2, calls);
    }

    [Fact]
    public void WithoutAValueEveryPointIsEvaluated()
    {
        int calls = 0;
        var known = new KnownValue(x => { calls++; return x[0]; }, [1.0], null);
        Assert.Equal(1.0, known.Objective([1.0]));
        Assert.Equal(1, calls);
        Assert.Equal(0, known.Used);
    }
}

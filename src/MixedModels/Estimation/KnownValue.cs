namespace MixedModels.Estimation;

/// <summary>
/// An objective that returns a value already taken at one point, once, instead of evaluating it again (evaluations are
/// deterministic). Only for an optimizer that needs values alone: the workspace is not moved to that point.
/// </summary>
internal sealed class KnownValue(ObjectiveFunction f, double[] at, double? value)
{
    /// <summary>1 once the known value has been returned, else 0.</summary>
    public int Used { get; private set; }

    /// <summary>The objective: f, except at the known point the first time.</summary>
    public double Objective(ReadOnlySpan<double> x)
    {
        if (Used == 0 && value is { } v && x.SequenceEqual(at))
        {
            Used = 1;
            return v;
        }
        return f(x);
    }
}

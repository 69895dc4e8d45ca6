using MixedModels.Design;

namespace MixedModels.Estimation;

/// <summary>
/// What the optimizer's vector holds and where it may go: θ (with lower bound 0 on the diagonal elements of each
/// relative covariance factor), followed by any further blocks a model family optimizes — glmer's β (unbounded),
/// nlme's correlation and variance parameters, robust tuning — each with its bounds and names. The one place
/// where bounds are set, so that every caller of an optimizer (fits, profiles, bootstrap refits, deletion
/// diagnostics) gives it the same problem.
/// </summary>
public sealed class ParameterMap
{
    private readonly double[] _lower, _upper;
    private readonly string[] _names;

    private ParameterMap(double[] lower, double[] upper, string[] names, int thetaLength)
    {
        _lower = lower;
        _upper = upper;
        _names = names;
        ThetaLength = thetaLength;
    }

    /// <summary>The number of parameters.</summary>
    public int Length => _lower.Length;

    /// <summary>How many of them (the first) are θ.</summary>
    public int ThetaLength { get; }

    /// <summary>The lower bounds.</summary>
    public ReadOnlySpan<double> Lower => _lower;

    /// <summary>The upper bounds.</summary>
    public ReadOnlySpan<double> Upper => _upper;

    /// <summary>The parameters' names (<c>theta[1]</c>, …, then the blocks' own names).</summary>
    public IReadOnlyList<string> Names => _names.AsReadOnly();

    /// <summary>θ of a design: lower bound 0 for the diagonal elements of each T, −∞ for the others, no upper bounds.</summary>
    public static ParameterMap Theta(ModelDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        var lower = design.LowerBounds();
        return new ParameterMap(lower, Enumerable.Repeat(double.PositiveInfinity, lower.Length).ToArray(),
            Enumerable.Range(1, lower.Length).Select(i => $"theta[{i}]").ToArray(), lower.Length);
    }

    /// <summary>A map with no θ: parameters with the given bounds (for a model part optimized on its own).</summary>
    public static ParameterMap Bounded(IReadOnlyList<double> lower, IReadOnlyList<double> upper, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(upper);
        if (lower.Count != upper.Count) throw new ArgumentException("lower and upper bounds differ in length");
        return new ParameterMap([.. lower], [.. upper], names?.ToArray() ?? Enumerable.Range(1, lower.Count).Select(i => $"x[{i}]").ToArray(), 0);
    }

    /// <summary>This map followed by an unbounded block (glmer's β) with the given names.</summary>
    public ParameterMap WithUnbounded(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return new ParameterMap([.. _lower, .. Enumerable.Repeat(double.NegativeInfinity, names.Count)],
            [.. _upper, .. Enumerable.Repeat(double.PositiveInfinity, names.Count)], [.. _names, .. names], ThetaLength);
    }

    /// <summary><paramref name="x"/> moved inside the bounds.</summary>
    public double[] Clamp(ReadOnlySpan<double> x)
    {
        var r = new double[x.Length];
        for (int i = 0; i < r.Length; i++) r[i] = Math.Clamp(x[i], _lower[i], _upper[i]);
        return r;
    }
}

/// <summary>A bound-constrained minimizer of an objective over a <see cref="ParameterMap"/>.</summary>
public interface IOptimizer
{
    /// <summary>Minimizes <paramref name="f"/> from <paramref name="start"/> within the map's bounds.</summary>
    OptimizationResult Minimize(ObjectiveFunction f, ReadOnlySpan<double> start, ParameterMap parameters);
}

/// <summary>Powell's BOBYQA (the project's own implementation) with the given settings, behind <see cref="IOptimizer"/>.</summary>
/// <param name="Options">Trust-region radii, interpolation points, evaluation limit.</param>
public sealed record BobyqaOptimizer(BobyqaOptions Options) : IOptimizer
{
    /// <summary>BOBYQA with lme4's settings (initial radius 0.75 for θ on its unit scale).</summary>
    public BobyqaOptimizer() : this(new BobyqaOptions()) { }

    /// <summary>BOBYQA started near the optimum (a refit from fitted values: initial radius 0.25).</summary>
    public static BobyqaOptimizer NearStart { get; } = new(new BobyqaOptions { InitialRadius = 0.25 });

    /// <inheritdoc/>
    public OptimizationResult Minimize(ObjectiveFunction f, ReadOnlySpan<double> start, ParameterMap parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (start.Length != parameters.Length)
            throw new ArgumentException($"the start has {start.Length} elements; the parameter map has {parameters.Length}", nameof(start));
        return Bobyqa.Minimize(f, start, parameters.Lower, parameters.Upper, Options);
    }
}

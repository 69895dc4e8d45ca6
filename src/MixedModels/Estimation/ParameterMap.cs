using MixedModels.Design;

namespace MixedModels.Estimation;

/// <summary>
/// What the optimizer's vector holds and where it may go: θ (with lower bound 0 on the diagonal elements of each
/// relative covariance factor), followed by any further blocks a model family optimizes — glmer's β (unbounded),
/// nlme's correlation and variance parameters, robust tuning — each with its bounds and names. The one place
/// where bounds are set, so that every caller of an optimizer (fits, profiles, bootstrap refits, deletion
/// diagnostics) gives it the same problem.
/// </summary>
internal sealed class ParameterMap
{
    private readonly double[] _lower, _upper, _scale;
    private readonly string[] _names;

    private ParameterMap(double[] lower, double[] upper, string[] names, int thetaLength, double[]? scale = null)
    {
        _lower = lower;
        _upper = upper;
        _names = names;
        ThetaLength = thetaLength;
        _scale = scale ?? Enumerable.Repeat(1.0, lower.Length).ToArray();
    }

    /// <summary>
    /// The typical size of each parameter: an optimizer works on x / scale, so that one trust-region radius and one
    /// stopping tolerance suit them all. For θ it is 1/RMS of the random-effects column of its row of the relative
    /// covariance factor (1 for intercepts), so a slope in any units starts and stops alike.
    /// </summary>
    public ReadOnlySpan<double> Scale => _scale;

    /// <summary>True when some parameter has a scale other than 1.</summary>
    public bool IsScaled => _scale.AsSpan().IndexOfAnyExcept(1.0) >= 0;

    /// <summary>lme4's start (1 on the diagonals of T, 0 below) in the optimizer's units: each element times its scale.</summary>
    public double[] UnitStart()
    {
        var x = new double[Length];
        for (int i = 0; i < ThetaLength; i++) x[i] = _lower[i] == 0 ? _scale[i] : 0;
        return x;
    }

    /// <summary>The same parameters with unit scales (for a caller that scales them itself).</summary>
    public ParameterMap Unscaled() => new([.. _lower], [.. _upper], [.. _names], ThetaLength);

    /// <summary>
    /// θ's scales for a design: 1/RMS of the column of its row (1 for an intercept). Always, not only for columns far
    /// from unit scale: a threshold would make the optimizer's path, and on a surface with two boundary optima the
    /// optimum it finds, depend on the units a covariate is measured in.
    /// </summary>
    private static double[] ThetaScales(ModelDesign design)
    {
        var scales = new List<double>(design.ThetaLength);
        foreach (var term in design.RandomTerms)
        {
            var rms = term.ColumnRms(design.Observations);
            // θ holds T's lower triangle column by column; element (r, c) scales as row r's column.
            for (int c = 0; c < term.Dimension; c++)
                for (int r = c; r < term.Dimension; r++) scales.Add(1 / rms[r]);
        }
        return [.. scales];
    }

    /// <summary>x in the optimizer's units: x / scale.</summary>
    public double[] ToOptimizerUnits(ReadOnlySpan<double> x)
    {
        var u = new double[x.Length];
        for (int i = 0; i < u.Length; i++) u[i] = x[i] / _scale[i];
        return u;
    }

    /// <summary>x from the optimizer's units: u × scale.</summary>
    public double[] FromOptimizerUnits(ReadOnlySpan<double> u)
    {
        var x = new double[u.Length];
        for (int i = 0; i < x.Length; i++) x[i] = u[i] * _scale[i];
        return x;
    }

    /// <summary>A gradient in x as one in u = x / scale (∂f/∂u = ∂f/∂x × scale; the gradient itself when every scale is 1).</summary>
    public GradientAtLast InOptimizerUnits(GradientAtLast gradient)
    {
        if (!IsScaled) return gradient;
        var scale = _scale;
        return g =>
        {
            gradient(g);
            for (int i = 0; i < g.Length; i++) g[i] *= scale[i];
        };
    }

    /// <summary>
    /// <paramref name="f"/> as a function of u = x / scale (f itself when every scale is 1); one buffer holds x for
    /// every evaluation, so nothing is allocated per call.
    /// </summary>
    public ObjectiveFunction InOptimizerUnits(ObjectiveFunction f)
    {
        if (!IsScaled) return f;
        var scale = _scale;
        var x = new double[scale.Length];
        return u =>
        {
            for (int i = 0; i < x.Length; i++) x[i] = u[i] * scale[i];
            return f(x);
        };
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
            Enumerable.Range(1, lower.Length).Select(i => $"theta[{i}]").ToArray(), lower.Length, ThetaScales(design));
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
            [.. _upper, .. Enumerable.Repeat(double.PositiveInfinity, names.Count)], [.. _names, .. names], ThetaLength,
            [.. _scale, .. Enumerable.Repeat(1.0, names.Count)]);
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
internal interface IOptimizer
{
    /// <summary>Minimizes <paramref name="f"/> from <paramref name="start"/> within the map's bounds.</summary>
    OptimizationResult Minimize(ObjectiveFunction f, ReadOnlySpan<double> start, ParameterMap parameters);
}

/// <summary>Powell's BOBYQA (the project's own implementation) with the given settings, behind <see cref="IOptimizer"/>.</summary>
/// <param name="Options">Trust-region radii, interpolation points, evaluation limit.</param>
internal sealed record BobyqaOptimizer(BobyqaOptions Options) : IOptimizer
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
        if (!parameters.IsScaled) return Bobyqa.Minimize(f, start, parameters.Lower, parameters.Upper, Options);
        // Optimize u = x / scale.
        var opt = Bobyqa.Minimize(parameters.InOptimizerUnits(f), parameters.ToOptimizerUnits(start),
            parameters.ToOptimizerUnits(parameters.Lower), parameters.ToOptimizerUnits(parameters.Upper), Options);
        return opt with { X = parameters.FromOptimizerUnits(opt.X) };
    }
}

namespace MixedModels.Reporting.Plots;

/// <summary>The plots of a fitted model.</summary>
public enum PlotKind
{
    /// <summary>Residuals against fitted values, with a zero line (lme4's <c>plot(m)</c>).</summary>
    ResidualsFitted,
    /// <summary>Normal QQ plot of the scaled residuals with a line through the quartiles.</summary>
    QqResiduals,
    /// <summary>Normal QQ plots of the conditional modes, one panel per term and column.</summary>
    QqRandomEffects,
    /// <summary>Caterpillar plot: the conditional modes with 95% intervals, sorted, one panel per term and column.</summary>
    Caterpillar,
    /// <summary>Observed against fitted values with the identity line.</summary>
    ObservedFitted,
    /// <summary>One panel per group: the data, the group's own least-squares line and the model's conditional line.</summary>
    GroupPanels,
    /// <summary>Each group's trajectory over a numeric variable (time) with the population line.</summary>
    Spaghetti,
}

/// <summary>Options of the plots.</summary>
public sealed record PlotOptions
{
    /// <summary>Width in pixels.</summary>
    public double Width { get; init; } = 720;

    /// <summary>Height in pixels.</summary>
    public double Height { get; init; } = 480;

    /// <summary>The numeric variable on the x axis of group panels and spaghetti plots (default: the first numeric predictor of the fixed effects).</summary>
    public string? X { get; init; }

    /// <summary>The grouping factor of group panels, spaghetti and caterpillar plots (default: the first in the formula; caterpillar: all).</summary>
    public string? Group { get; init; }

    /// <summary>The groups (levels) to show in group panels (default: the first <see cref="MaxPanels"/>).</summary>
    public IReadOnlyList<string>? Levels { get; init; }

    /// <summary>At most this many group panels (a page of them).</summary>
    public int MaxPanels { get; init; } = 12;

    /// <summary>Which page of <see cref="MaxPanels"/> group panels to draw, from 1 (pages follow the levels' order).</summary>
    public int Page { get; init; } = 1;

    /// <summary>Group panels: also draw R's loess curve of the group's data (span 0.75, degree 2).</summary>
    public bool Loess { get; init; }

    /// <summary>Prefix of the SVG's element ids; give each plot its own when several are inlined in one HTML page.</summary>
    public string IdPrefix { get; init; } = "fig";
}

using MixedModels.Data;
using MixedModels.Reporting.Plots;
using MixedModels.Results;

namespace MixedModels.Interactive;

/// <summary>A plot of a fit as SVG, shown inline by a notebook (<see cref="Formatters.Register"/>).</summary>
/// <param name="Kind">The kind of plot.</param>
/// <param name="Svg">The SVG document.</param>
public sealed record SvgPlot(PlotKind Kind, string Svg)
{
    /// <inheritdoc/>
    public override string ToString() => Svg;
}

/// <summary>Plots of fitted models for notebooks.</summary>
public static class PlotExtensions
{
    /// <summary>A plot of a linear mixed model (<see cref="ModelPlots.Render(PlotKind, LinearMixedModel, Table?, PlotOptions?)"/>); the group panels need the data.</summary>
    public static SvgPlot Plot(this LinearMixedModel model, PlotKind kind, Table? data = null, PlotOptions? options = null) =>
        new(kind, ModelPlots.Render(kind, model, data, options));

    /// <summary>A plot of a generalized linear mixed model (<see cref="ModelPlots.Render(PlotKind, GeneralizedLinearMixedModel, PlotOptions?)"/>).</summary>
    public static SvgPlot Plot(this GeneralizedLinearMixedModel model, PlotKind kind, PlotOptions? options = null) =>
        new(kind, ModelPlots.Render(kind, model, options));
}

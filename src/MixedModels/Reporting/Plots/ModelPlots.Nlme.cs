using MixedModels.Diagnostics;
using MixedModels.Results;

namespace MixedModels.Reporting.Plots;

/// <summary>The plots of an nlme fit with variance functions or correlation structures (nlme's plot methods).</summary>
public enum NlmePlotKind
{
    /// <summary>Standardized (Pearson) residuals against fitted values (nlme's <c>plot(fit)</c>).</summary>
    ResidualsFitted,
    /// <summary>Normal QQ plot of the normalized residuals (<c>qqnorm(fit, ~ resid(., type = "n"))</c>).</summary>
    QqResiduals,
    /// <summary>Normal QQ plots of the random effects (<c>qqnorm(fit, ~ ranef(.))</c>).</summary>
    QqRandomEffects,
    /// <summary>The autocorrelation function of the normalized residuals with its 1% bounds (<c>plot(ACF(fit, resType = "n"), alpha = 0.01)</c>).</summary>
    Acf,
    /// <summary>The semivariogram of the Pearson residuals with the model's (<c>plot(Variogram(fit))</c>), for spatial structures.</summary>
    Variogram,
}

public static partial class ModelPlots
{
    /// <summary>Renders a plot of a gls or lme fit with nlme's structures.</summary>
    public static string Render(NlmePlotKind kind, NlmeModel model, PlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new PlotOptions();
        return kind switch
        {
            NlmePlotKind.ResidualsFitted => Scatter($"Standardized residuals vs fitted: {model.Design.Formula}", "Fitted values", "Standardized residuals",
                [.. model.Fitted], [.. model.PearsonResiduals], 0, 0, options, smooth: true),
            NlmePlotKind.QqResiduals => Qq("Normal QQ plot of the normalized residuals", "Normalized residuals", [.. model.NormalizedResiduals], options),
            NlmePlotKind.QqRandomEffects => model.Design.RandomTerms.Count == 0
                ? throw new ModelException("a gls fit has no random effects: plot residuals, qq or acf")
                : QqRandomEffects(model.Transformed, options),
            NlmePlotKind.Acf => Acf(NlmeAcf.Compute(model, NlmeResidualType.Normalized), options),
            NlmePlotKind.Variogram => Variogram(NlmeVariogram.Compute(model), options),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static string TypeName(NlmeResidualType type) => type == NlmeResidualType.Pearson ? "Pearson" : type.ToString().ToLowerInvariant();

    /// <summary>nlme's plot.Variogram: the binned sample semivariogram as points, the model's as a line.</summary>
    internal static string Variogram(NlmeVariogram v, PlotOptions o)
    {
        var f = new Figure($"Semivariogram of the {TypeName(v.Type)} residuals", "Distance", "Semivariogram") { IdPrefix = o.IdPrefix, Width = o.Width, Height = o.Height };
        var p = new Panel();
        var keep = Enumerable.Range(0, v.Distance.Count).Where(i => double.IsFinite(v.Semivariance[i])).ToArray();
        p.Marks.Add(new PointsMark(new Series("sample (binned pairs)", Palette[0]), keep.Select(i => v.Distance[i]).ToArray(), keep.Select(i => v.Semivariance[i]).ToArray(), 3));
        if (v.ModelDistance.Count > 0)
            p.Marks.Add(new LineMark(new Series("model", Palette[1], Glyph.Line), [.. v.ModelDistance], [.. v.ModelSemivariance], 2));
        f.Panels.Add(p);
        return f.Render();
    }

    /// <summary>nlme's plot.ACF: a vertical line from 0 to the autocorrelation at each lag, the ±z(0.995)/√n.used bounds dashed.</summary>
    internal static string Acf(NlmeAcf acf, PlotOptions o)
    {
        var f = new Figure($"Autocorrelation of the {TypeName(acf.Type)} residuals", "Lag", "Autocorrelation") { IdPrefix = o.IdPrefix, Width = o.Width, Height = o.Height };
        var p = new Panel();
        p.Marks.Add(new AblineMark(Reference, 0, 0));
        var lags = acf.Lags.Select(l => (double)l).ToArray();
        p.Marks.Add(new SegmentsMark(new Series("autocorrelation", Palette[0], Glyph.Line), lags.Select((x, i) => (x, 0.0, x, acf.Values[i])).ToArray()));
        var bound = acf.Lags.Select(l => acf.Bound(l)).ToArray();
        var dashed = new Series("99% bounds", Palette[1], Glyph.Line, Dash: "5,4");
        p.Marks.Add(new LineMark(dashed, lags, bound));
        p.Marks.Add(new LineMark(dashed with { Legend = false }, lags, bound.Select(b => -b).ToArray()));
        f.Panels.Add(p);
        return f.Render();
    }
}

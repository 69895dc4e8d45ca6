using MixedModels.Results;

namespace MixedModels.Reporting.Plots;

/// <summary>The plots of a robust (rlmer) fit.</summary>
public enum RobustPlotKind
{
    /// <summary>The observations' robustness weights against the fitted values (robustlmm's <c>plot()</c>, "weights").</summary>
    WeightsFitted,
    /// <summary>The observations' robustness weights by group level, with each level's random-effect weights.</summary>
    WeightsGroup,
    /// <summary>Normal QQ plot of the scaled residuals, the points coloured by their robustness weight.</summary>
    QqResiduals,
    /// <summary>Normal QQ plots of the conditional modes, coloured by the random effects' robustness weights.</summary>
    QqRandomEffects,
    /// <summary>Residuals against fitted values, coloured by robustness weight.</summary>
    ResidualsFitted,
}

public static partial class ModelPlots
{
    /// <summary>Weights at least this close to 1 count as not downweighted (robustbase's rule, 1e-3).</summary>
    private const double FullWeight = 1e-3;

    /// <summary>Renders a plot of a robust fit (the points coloured by weight: ≈ 1, 0.5–1, below 0.5).</summary>
    public static string Render(RobustPlotKind kind, RobustLinearMixedModel model, PlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new PlotOptions();
        return kind switch
        {
            RobustPlotKind.WeightsFitted => WeightsFitted(model, options),
            RobustPlotKind.WeightsGroup => WeightsGroup(model, options),
            RobustPlotKind.QqResiduals => WeightedQq("Normal QQ plot of the scaled residuals, by robustness weight", "Scaled residuals",
                model.Residuals.Select(r => r / model.Sigma).ToArray(), [.. model.ResidualWeights], options),
            RobustPlotKind.QqRandomEffects => RobustQqRandomEffects(model, options),
            RobustPlotKind.ResidualsFitted => WeightedScatter($"Residuals vs fitted (robust): {model.Formula}", "Fitted values", "Residuals",
                [.. model.Fitted], [.. model.Residuals], [.. model.ResidualWeights], 0, options),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static readonly (string Name, string Color, double Low, double High)[] WeightClasses =
    [
        ("weight ≈ 1", Palette[0], 1 - FullWeight, double.PositiveInfinity),
        ("0.5 ≤ weight < 1", Palette[4], 0.5, 1 - FullWeight),
        ("weight < 0.5", Palette[1], double.NegativeInfinity, 0.5),
    ];

    /// <summary>Points split into the weight classes, one series each.</summary>
    private static IEnumerable<PointsMark> ByWeight(double[] x, double[] y, double[] w, double radius = 2.5)
    {
        foreach (var (name, color, low, high) in WeightClasses)
        {
            var idx = Enumerable.Range(0, x.Length).Where(i => w[i] >= low && w[i] < high).ToArray();
            if (idx.Length == 0) continue;
            yield return new PointsMark(new Series(name, color, Opacity: 0.75), idx.Select(i => x[i]).ToArray(), idx.Select(i => y[i]).ToArray(), radius);
        }
    }

    private static string WeightsFitted(RobustLinearMixedModel m, PlotOptions o)
    {
        var f = new Figure($"Robustness weights vs fitted: {m.Formula}", "Fitted values", "Robustness weight of the residual") { IdPrefix = o.IdPrefix, Width = o.Width, Height = o.Height };
        var p = new Panel();
        p.Marks.Add(new AblineMark(Reference, 1, 0));
        foreach (var mark in ByWeight([.. m.Fitted], [.. m.ResidualWeights], [.. m.ResidualWeights])) p.Marks.Add(mark);
        f.Panels.Add(p);
        return f.Render();
    }

    private static string WeightedScatter(string title, string xLabel, string yLabel, double[] x, double[] y, double[] w, double reference, PlotOptions o)
    {
        var f = new Figure(title, xLabel, yLabel) { IdPrefix = o.IdPrefix, Width = o.Width, Height = o.Height };
        var p = new Panel();
        p.Marks.Add(new AblineMark(Reference, reference, 0));
        foreach (var mark in ByWeight(x, y, w)) p.Marks.Add(mark);
        f.Panels.Add(p);
        return f.Render();
    }

    /// <summary>The observations' weights per level of a grouping factor (one row per level), with the level's random-effect weights.</summary>
    private static string WeightsGroup(RobustLinearMixedModel m, PlotOptions o)
    {
        var terms = m.Design.RandomTerms;
        int t = o.Group is null ? 0 : Enumerable.Range(0, terms.Count).FirstOrDefault(j => terms[j].GroupName == o.Group, -1);
        if (t < 0) throw new ModelException($"'{o.Group}' is not a grouping factor of the model; its grouping factors are: {string.Join(", ", terms.Select(x => x.GroupName).Distinct())}");
        var term = terms[t];
        var levels = term.Levels;
        var f = new Figure($"Robustness weights by {term.GroupName}", "Robustness weight", term.GroupName)
            { IdPrefix = o.IdPrefix, Width = o.Width, Height = Math.Max(o.Height, 110 + 12.0 * levels.Count) };
        var p = new Panel { YCategories = levels };
        var codes = term.Codes;
        var w = m.ResidualWeights.ToArray();
        var y = new double[codes.Length];
        for (int i = 0; i < codes.Length; i++) y[i] = codes[i];
        foreach (var mark in ByWeight(w, y, w, 2)) p.Marks.Add(mark);
        var wb = m.RandomEffectWeightsOf(t).ToArray();
        int d = term.Dimension;
        var levelWeights = Enumerable.Range(0, levels.Count).Select(l => Enumerable.Range(0, d).Min(c => wb[l * d + c])).ToArray();
        // a little above the level's row, so that observations with weight 1 stay visible
        p.Marks.Add(new PointsMark(new Series("random-effect weight (lowest of the level's)", "#000000", Opacity: 0.9), levelWeights, Enumerable.Range(0, levels.Count).Select(l => l + 0.3).ToArray(), 3));
        f.Panels.Add(p);
        return f.Render();
    }

    private static string WeightedQq(string title, string yLabel, double[] values, double[] weights, PlotOptions o)
    {
        var f = new Figure(title, "Standard normal quantiles", yLabel) { IdPrefix = o.IdPrefix, Width = o.Width, Height = o.Height };
        f.Panels.Add(WeightedQqPanel(null, values, weights));
        return f.Render();
    }

    private static Panel WeightedQqPanel(string? title, double[] values, double[] weights)
    {
        var order = Enumerable.Range(0, values.Length).Where(i => double.IsFinite(values[i])).OrderBy(i => values[i]).ToArray();
        var z = NormalScores(order.Length);
        var panel = QqPanel(title, order.Select(i => values[i]).ToArray());
        panel.Marks.RemoveAll(mk => mk is PointsMark);
        foreach (var mark in ByWeight(z, order.Select(i => values[i]).ToArray(), order.Select(i => weights[i]).ToArray())) panel.Marks.Add(mark);
        return panel;
    }

    private static string RobustQqRandomEffects(RobustLinearMixedModel m, PlotOptions o)
    {
        var f = new Figure("Normal QQ plots of the conditional modes, by robustness weight", "Standard normal quantiles", "Conditional modes")
            { IdPrefix = o.IdPrefix, Width = o.Width, Height = o.Height, SharedY = false };
        for (int t = 0; t < m.Design.RandomTerms.Count; t++)
        {
            var term = m.Design.RandomTerms[t];
            var modes = m.ConditionalModes(t).ToArray();
            var wb = m.RandomEffectWeightsOf(t).ToArray();
            int d = term.Dimension;
            for (int c = 0; c < d; c++)
            {
                var values = Enumerable.Range(0, term.LevelCount).Select(l => modes[l * d + c]).ToArray();
                var weights = Enumerable.Range(0, term.LevelCount).Select(l => wb[l * d + c]).ToArray();
                f.Panels.Add(WeightedQqPanel($"{m.VarianceComponents[t].Name}: {term.ColumnNames[c]}", values, weights));
            }
        }
        return f.Render();
    }
}

using System.CommandLine;
using MixedModels.Results;
using MixedModels.Reporting.Plots;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed plot KIND</c>: one plot of a fitted model as an SVG file.</summary>
internal static class PlotCommand
{
    private static readonly Dictionary<string, PlotKind> Kinds = new(StringComparer.Ordinal)
    {
        ["residuals"] = PlotKind.ResidualsFitted,
        ["qq"] = PlotKind.QqResiduals,
        ["qq-ranef"] = PlotKind.QqRandomEffects,
        ["caterpillar"] = PlotKind.Caterpillar,
        ["observed"] = PlotKind.ObservedFitted,
        ["groups"] = PlotKind.GroupPanels,
        ["spaghetti"] = PlotKind.Spaghetti,
    };

    /// <summary>The plots of a robust fit (--robust or an rlmer() call).</summary>
    private static readonly Dictionary<string, RobustPlotKind> RobustKinds = new(StringComparer.Ordinal)
    {
        ["weights"] = RobustPlotKind.WeightsFitted,
        ["weights-group"] = RobustPlotKind.WeightsGroup,
        ["qq"] = RobustPlotKind.QqResiduals,
        ["qq-ranef"] = RobustPlotKind.QqRandomEffects,
        ["residuals"] = RobustPlotKind.ResidualsFitted,
    };

    /// <summary>The plots of an lme() or gls() call with nlme's structures (acf of any lme() or gls() call).</summary>
    private static readonly Dictionary<string, NlmePlotKind> NlmeKinds = new(StringComparer.Ordinal)
    {
        ["residuals"] = NlmePlotKind.ResidualsFitted,
        ["qq"] = NlmePlotKind.QqResiduals,
        ["qq-ranef"] = NlmePlotKind.QqRandomEffects,
        ["acf"] = NlmePlotKind.Acf,
        ["variogram"] = NlmePlotKind.Variogram,
    };

    public static Command Create()
    {
        var model = new ModelOptions();
        var kind = new Argument<string>("kind") { Description = $"The plot: {string.Join(", ", Kinds.Keys)}, or scatter (the data, no model: --x, --y); with --robust: {string.Join(", ", RobustKinds.Keys)}; of an lme()/gls() --call: {string.Join(", ", NlmeKinds.Keys)} (acf: the normalized residuals' autocorrelation; variogram: the semivariogram of a spatial structure)" };
        kind.AcceptOnlyFromAmong([.. Kinds.Keys.Union(RobustKinds.Keys).Union(NlmeKinds.Keys), "scatter"]);
        var x = new Option<string?>("--x") { Description = "Numeric variable on the x axis of groups and spaghetti plots (default: the first numeric predictor)" };
        var group = new Option<string?>("--group") { Description = "Grouping factor of groups, spaghetti and caterpillar plots" };
        var levels = new Option<string?>("--panels") { Description = "Groups to show in the groups plot: a,b,c (default: the first --max-panels)" };
        var maxPanels = new Option<int>("--max-panels") { Description = "At most this many group panels", DefaultValueFactory = _ => 12 };
        var yVar = new Option<string?>("--y") { Description = "scatter: the numeric variable on the y axis" };
        var facet = new Option<string?>("--facet") { Description = "scatter: one panel per level of this column, shared axes (ggplot's facet_wrap)" };
        var smooth = new Option<string?>("--smooth") { Description = "Lines over the points: lm, loess (R's defaults: span 0.75, degree 2), lm,loess or none; scatter's default lm,loess; groups: loess adds each group's loess curve" };
        var page = new Option<int>("--page") { Description = "groups: which page of --max-panels group panels to draw (1, 2, ...)", DefaultValueFactory = _ => 1 };
        var width = new Option<double>("--width") { Description = "Width in pixels", DefaultValueFactory = _ => 720 };
        var height = new Option<double>("--height") { Description = "Height in pixels", DefaultValueFactory = _ => 480 };
        var cmd = new Command("plot", "Draw a plot of the fitted model as SVG (residuals vs fitted, QQ plots, caterpillar, observed vs fitted, per-group panels, spaghetti).\n\n" +
            "Examples:\n  mixed plot caterpillar --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\" --output caterpillar.svg\n" +
            "  mixed plot groups --data hsb --formula \"MathAch ~ SES + (SES | School)\" --x SES --max-panels 9 --output schools.svg\n" +
            "  mixed plot scatter --data hsb --x SES --y MathAch --facet School --panels 1224,1288,1296 --output ses.png\n" +
            "  mixed plot weights --robust --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\" --output weights.svg")
        { kind };
        model.AddTo(cmd);
        foreach (Option o in new Option[] { x, group, levels, maxPanels, page, yVar, facet, smooth, width, height }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            if (parse.GetValue(width) < 200 || parse.GetValue(height) < 150) throw new UsageException("--width and --height must be at least 200 and 150 pixels");
            if (parse.GetValue(maxPanels) < 1) throw new UsageException("--max-panels must be at least 1");
            var data = model.Data(parse);
            if (parse.GetValue(kind) == "scatter")
            {
                var scatter = new ScatterOptions
                {
                    X = parse.GetValue(x) ?? throw new UsageException("plot scatter needs --x and --y, the numeric columns to plot"),
                    Y = parse.GetValue(yVar) ?? throw new UsageException("plot scatter needs --x and --y, the numeric columns to plot"),
                    Facet = parse.GetValue(facet),
                    Smooth = Smoothers(parse.GetValue(smooth) ?? "lm,loess"),
                    Panels = parse.GetValue(levels)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                    MaxPanels = parse.GetValue(maxPanels),
                    Width = parse.GetValue(width),
                    Height = parse.GetValue(height),
                };
                Write(parse, model, ModelPlots.Scatter(data.Table, scatter));
                return 0;
            }
            var options = new PlotOptions
            {
                X = parse.GetValue(x),
                Group = parse.GetValue(group),
                Levels = parse.GetValue(levels)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                MaxPanels = parse.GetValue(maxPanels),
                Page = parse.GetValue(page),
                Loess = parse.GetValue(smooth) is { } sm && Smoothers(sm).HasFlag(Smoother.Loess),
                Width = parse.GetValue(width),
                Height = parse.GetValue(height),
            };
            string name = parse.GetValue(kind)!;
            if (model.Robust(parse))
            {
                if (!RobustKinds.TryGetValue(name, out var robustKind))
                    throw new UsageException($"plot {name}: a robust fit's plots are {string.Join(", ", RobustKinds.Keys)}");
                Write(parse, model, ModelPlots.Render(robustKind, model.FitRobust(parse, data, model.Models(parse)[0]), options));
                return 0;
            }
            if (model.Models(parse)[0].Call is { IsNlme: true } call && (call.HasStructures || name is "acf" or "variogram"))
            {
                if (!NlmeKinds.TryGetValue(name, out var nlmeKind))
                    throw new UsageException($"plot {name}: the plots of an nlme fit with variance functions or correlation structures are {string.Join(", ", NlmeKinds.Keys)}");
                Write(parse, model, ModelPlots.Render(nlmeKind, model.FitNlme(parse, data, call), options));
                return 0;
            }
            if (name is "acf" or "variogram") throw new UsageException($"plot {name} is nlme's {(name == "acf" ? "ACF" : "Variogram")} of the residuals: give the model as --call 'lme(...)' or --call 'gls(...)'");
            if (!Kinds.TryGetValue(name, out var plotKind)) throw new UsageException($"plot {name} is a plot of a robust fit: add --robust");
            var any = model.FitAny(parse, data, model.Models(parse)[0]);
            string svg = any is GeneralizedLinearMixedModel g
                ? ModelPlots.Render(plotKind, g, options)
                : ModelPlots.Render(plotKind, (LinearMixedModel)any, data.Table, options);
            Write(parse, model, svg);
            return 0;
        });
        return cmd;
    }

    /// <summary>The SVG to standard output or a file; a .png file gets a PNG image, not SVG text.</summary>
    private static void Write(ParseResult parse, ModelOptions model, string svg)
    {
        if (model.OutputPath(parse) is { } path && path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            Output.WriteBytes(parse, path, PngRenderer.Render(svg));
        else model.Write(parse, svg);
    }

    private static Smoother Smoothers(string spec)
    {
        var result = Smoother.None;
        foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            result |= part switch
            {
                "lm" => Smoother.LeastSquares,
                "loess" => Smoother.Loess,
                "none" => Smoother.None,
                _ => throw new UsageException($"--smooth {spec}: give lm, loess, lm,loess or none"),
            };
        return result;
    }
}

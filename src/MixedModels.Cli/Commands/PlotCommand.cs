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

    public static Command Create()
    {
        var model = new ModelOptions();
        var kind = new Argument<string>("kind") { Description = $"The plot: {string.Join(", ", Kinds.Keys)}" };
        kind.AcceptOnlyFromAmong([.. Kinds.Keys]);
        var x = new Option<string?>("--x") { Description = "Numeric variable on the x axis of groups and spaghetti plots (default: the first numeric predictor)" };
        var group = new Option<string?>("--group") { Description = "Grouping factor of groups, spaghetti and caterpillar plots" };
        var levels = new Option<string?>("--panels") { Description = "Groups to show in the groups plot: a,b,c (default: the first --max-panels)" };
        var maxPanels = new Option<int>("--max-panels") { Description = "At most this many group panels", DefaultValueFactory = _ => 12 };
        var width = new Option<double>("--width") { Description = "Width in pixels", DefaultValueFactory = _ => 720 };
        var height = new Option<double>("--height") { Description = "Height in pixels", DefaultValueFactory = _ => 480 };
        var cmd = new Command("plot", "Draw a plot of the fitted model as SVG (residuals vs fitted, QQ plots, caterpillar, observed vs fitted, per-group panels, spaghetti).\n\n" +
            "Examples:\n  mixed plot caterpillar --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\" --output caterpillar.svg\n" +
            "  mixed plot groups --data hsb --formula \"MathAch ~ SES + (SES | School)\" --x SES --max-panels 9 --output schools.svg")
        { kind };
        model.AddTo(cmd);
        foreach (Option o in new Option[] { x, group, levels, maxPanels, width, height }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            if (parse.GetValue(width) < 200 || parse.GetValue(height) < 150) throw new UsageException("--width and --height must be at least 200 and 150 pixels");
            if (parse.GetValue(maxPanels) < 1) throw new UsageException("--max-panels must be at least 1");
            var data = model.Data(parse);
            var any = model.FitAny(parse, data, model.Models(parse)[0]);
            var options = new PlotOptions
            {
                X = parse.GetValue(x),
                Group = parse.GetValue(group),
                Levels = parse.GetValue(levels)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                MaxPanels = parse.GetValue(maxPanels),
                Width = parse.GetValue(width),
                Height = parse.GetValue(height),
            };
            var plotKind = Kinds[parse.GetValue(kind)!];
            string svg = any is GeneralizedLinearMixedModel g
                ? ModelPlots.Render(plotKind, g, options)
                : ModelPlots.Render(plotKind, (LinearMixedModel)any, data.Table, options);
            if (model.OutputPath(parse) is { } path && path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                Output.WriteBytes(parse, path, PngRenderer.Render(svg));   // a .png file gets a PNG image, not SVG text
            else model.Write(parse, svg);
            return 0;
        });
        return cmd;
    }
}

using System.CommandLine;
using MixedModels.Diagnostics;
using MixedModels.Reporting;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed acf</c>: nlme's ACF() of an lme() or gls() fit's residuals, with the bounds plot.ACF draws.</summary>
internal static class AcfCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var type = TypeOption();
        var maxLag = new Option<int?>("--max-lag") { Description = "The largest lag (default as nlme: min(m - 1, 10 log10 m), m the largest group)" };
        var alpha = new Option<double>("--alpha") { Description = "The bounds' significance level: +-qnorm(1 - alpha/2)/sqrt(n.used)", DefaultValueFactory = _ => 0.01 };
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var cmd = new Command("acf", "nlme's ACF(): the empirical autocorrelation of the residuals within groups, by lag, with the pairs used and the approximate bounds " +
            "(mixed plot acf draws it). Residuals within the groups of a gls fit's correlation structure, or of an lme fit's innermost grouping, in data order.\n\n" +
            "Examples:\n  mixed acf --data ovary --call \"lme(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), random = ~ 1 | Mare)\"\n" +
            "  mixed acf --data ovary --call \"lme(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), random = ~ 1 | Mare, correlation = corAR1())\" --type normalized");
        model.AddTo(cmd);
        foreach (Option o in new Option[] { type, maxLag, alpha, format }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            double a = parse.GetValue(alpha);
            if (!(a > 0 && a < 1)) throw new UsageException($"--alpha {a}: give a level between 0 and 1, e.g. 0.01");
            if (parse.GetValue(maxLag) is < 0) throw new UsageException("--max-lag must be 0 or more");
            var fit = model.FitNlmeCall(parse, "acf is nlme's ACF");
            var acf = NlmeAcf.Compute(fit, ResidualType(parse.GetValue(type)), parse.GetValue(maxLag));
            var table = new ResultTable("lag", "ACF", "n.used", "bound");
            for (int k = 0; k < acf.Lags.Count; k++) table.Add(acf.Lags[k], acf.Values[k], acf.Used[k], acf.Bound(k, a));
            model.Write(parse, TextTables.Write(table, ModelOptions.ParseFormat(parse.GetValue(format))));
            return 0;
        });
        return cmd;
    }

    private static Option<string> TypeOption() =>
        new Option<string>("--type") { Description = "The residuals: pearson (nlme's default), response or normalized", DefaultValueFactory = _ => "pearson" }
            .AcceptOnlyFromAmong("pearson", "response", "normalized");

    private static NlmeResidualType ResidualType(string? name) =>
        name switch { "response" => NlmeResidualType.Response, "normalized" => NlmeResidualType.Normalized, _ => NlmeResidualType.Pearson };

    /// <summary><c>mixed variogram</c>: nlme's Variogram() of a fit with a spatial correlation structure.</summary>
    public static Command CreateVariogram()
    {
        var model = new ModelOptions();
        var type = TypeOption();
        var bins = new Option<int>("--nint") { Description = "The number of distance bins (at the distances' quantiles, nlme's default 20)", DefaultValueFactory = _ => 20 };
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var cmd = new Command("variogram", "nlme's Variogram(): the semivariogram of the residuals of pairs within groups, binned by distance (mean semivariance, median distance, pairs), " +
            "as nlme prints it; mixed plot variogram draws it with the model's semivariogram.\n\n" +
            "Example:\n  mixed variogram --data wheat2.csv --call \"gls(yield ~ variety - 1, correlation = corExp(form = ~ latitude + longitude, nugget = TRUE))\"");
        model.AddTo(cmd);
        foreach (Option o in new Option[] { type, bins, format }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            if (parse.GetValue(bins) < 1) throw new UsageException("--nint must be at least 1");
            var fit = model.FitNlmeCall(parse, "variogram is nlme's Variogram of a spatial correlation structure");
            var v = NlmeVariogram.Compute(fit, ResidualType(parse.GetValue(type)), parse.GetValue(bins));
            // nlme's print of a Variogram: the bins (the model's curve is drawn by mixed plot variogram).
            var table = new ResultTable("variog", "dist", "n.pairs");
            for (int k = 0; k < v.Distance.Count; k++) table.Add(v.Semivariance[k], v.Distance[k], v.Pairs[k]);
            model.Write(parse, TextTables.Write(table, ModelOptions.ParseFormat(parse.GetValue(format))));
            return 0;
        });
        return cmd;
    }
}

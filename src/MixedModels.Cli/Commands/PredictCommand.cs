using System.CommandLine;
using MixedModels.Reporting;
using MixedModels.Results;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed predict</c>: predictions for new data, at population level or conditional on the groups.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var newdata = new Option<string>("--newdata") { Description = "A CSV file (or embedded data set) with the predictors of the rows to predict", Required = true };
        var population = new Option<bool>("--population") { Description = "Population-level predictions (fixed effects only, lme4's re.form = NA)" };
        var groups = new Option<string[]>("--group") { Description = "Condition only on these grouping factors (repeatable); the others are left out" };
        var interval = new Option<string>("--interval") { Description = "none, confidence (for the mean) or prediction (for a new observation)", DefaultValueFactory = _ => "none" };
        interval.AcceptOnlyFromAmong("none", "confidence", "prediction");
        var level = new Option<double>("--level") { Description = "Interval level", DefaultValueFactory = _ => 0.95 };
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var type = new Option<string>("--type") { Description = "With --family: link (the linear predictor, default) or response (the mean), as lme4's type =", DefaultValueFactory = _ => "link" };
        type.AcceptOnlyFromAmong("link", "response");
        var cmd = new Command("predict", "Predict the response for new rows; a group level the model has not seen gets the population prediction for that factor.\n\n" +
            "Examples:\n  mixed predict --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\" --newdata new.csv --interval prediction\n" +
            "  mixed predict --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\" --newdata new.csv --population --format csv\n" +
            "  mixed predict --data cbpp --family binomial --formula \"cbind(incidence, size - incidence) ~ period + (1 | herd)\" --newdata new.csv --type response");
        model.AddTo(cmd);
        foreach (Option o in new Option[] { newdata, population, groups, interval, level, format, type }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            double lv = ModelOptions.Level(parse.GetValue(level));
            var chosen = parse.GetValue(groups) ?? [];
            if (parse.GetValue(population) && chosen.Length > 0) throw new UsageException("--population and --group contradict each other: choose one");
            var kind = parse.GetValue(interval) switch
            {
                "confidence" => PredictionInterval.Confidence,
                "prediction" => PredictionInterval.Prediction,
                _ => PredictionInterval.None,
            };
            if (kind == PredictionInterval.Prediction && model.Models(parse)[0].Call is { HasStructures: true })
                throw new UsageException("--interval prediction: a new row's error variance under nlme's variance function and correlation structure is not available; use --interval confidence");
            var any = model.FitAnyOrTransformed(parse);
            var (table, _) = DataSource.Load(parse.GetValue(newdata)!, [], [], []);
            var options = new PredictOptions
            {
                Groups = parse.GetValue(population) ? [] : chosen.Length > 0 ? chosen : null,
                Interval = kind,
                Level = lv,
                Scale = parse.GetValue(type) == "response" ? PredictionScale.Response : PredictionScale.Link,
            };
            var predictions = any switch
            {
                GeneralizedLinearMixedModel g => g.Predict(table, options),
                _ => ((LinearMixedModel)any).Predict(table, options),
            };
            model.Write(parse, TextTables.Write(DiagnosticTables.PredictionTable(table, predictions, kind != PredictionInterval.None), ModelOptions.ParseFormat(parse.GetValue(format))));
            return 0;
        });
        return cmd;
    }
}

using System.CommandLine;
using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Reporting;
using MixedModels.Results;

namespace MixedModels.Cli;

/// <summary>
/// The options every model command shares — data, formula(s), column types, contrasts, REML/ML, output — and the
/// one way they turn into a fitted model.
/// </summary>
internal sealed class ModelOptions
{
    private readonly DataOptions _source = new();
    private readonly Option<string>? _formula;
    private readonly Option<string[]>? _formulas;
    private readonly Option<bool> _ml = new("--ml") { Description = "Fit by maximum likelihood instead of REML" };
    private readonly Option<int?> _maxEvaluations = new("--max-evaluations") { Description = "Stop the optimizer after this many objective evaluations (default 10000); the fit is then reported as not converged" };
    private readonly Option<string[]> _contrasts = new("--contrasts") { Description = "Contrast coding of a factor: COL=treatment|sum|helmert|poly (repeatable)" };
    private readonly Option<string?> _output = Output.FileOption();

    /// <param name="formulas">Whether --formula may be repeated (model comparison).</param>
    public ModelOptions(bool formulas = false)
    {
        if (formulas)
            _formulas = new Option<string[]>("--formula", "-f") { Description = "A model in lme4 syntax; repeat for each model to compare", Required = true };
        else
            _formula = new Option<string>("--formula", "-f") { Description = "The model in lme4 syntax, e.g. \"Reaction ~ Days + (Days | Subject)\"", Required = true };
    }

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        _source.AddTo(command);
        foreach (Option o in new Option[] { (Option?)_formula ?? _formulas!, _ml, _maxEvaluations, _contrasts, _output }) command.Add(o);
    }

    /// <summary>The formulas given.</summary>
    public string[] Formulas(ParseResult parse) =>
        _formula is not null ? [parse.GetValue(_formula)!] : parse.GetValue(_formulas!) ?? [];

    /// <summary>True when --ml was given.</summary>
    public bool Ml(ParseResult parse) => parse.GetValue(_ml);

    /// <summary>Loads the data with the column options applied, and its display name.</summary>
    public (Table Table, string Name) Data(ParseResult parse) => _source.Load(parse);

    /// <summary>Fits one formula to the loaded data (REML unless --ml), with a running evaluation count on a terminal for a long fit.</summary>
    public LinearMixedModel Fit(ParseResult parse, (Table Table, string Name) data, string formula)
    {
        using var progress = ProgressBar.Count("fitting", "evaluations");
        int? max = parse.GetValue(_maxEvaluations);
        if (max is < 1) throw new UsageException($"--max-evaluations {max}: give a positive number of evaluations");
        return LinearMixedModel.Fit(formula, data.Table, new FitOptions
            {
                Reml = !Ml(parse), Progress = progress, Optimizer = max is int m ? new BobyqaOptions { MaxEvaluations = m } : null,
            },
            new DesignOptions { Contrasts = ParseContrasts(parse.GetValue(_contrasts) ?? []) }, data.Name);
    }

    /// <summary>Fits the (single) formula.</summary>
    public LinearMixedModel Fit(ParseResult parse) => Fit(parse, Data(parse), Formulas(parse)[0]);

    /// <summary>Writes the output where --output says.</summary>
    public void Write(ParseResult parse, string text) => Output.Write(parse, parse.GetValue(_output), text);

    /// <summary>A --format option with the given choices (the first is the default).</summary>
    public static Option<string> FormatOption(params string[] choices)
    {
        var o = new Option<string>("--format") { Description = $"Output format: {string.Join(", ", choices)}", DefaultValueFactory = _ => choices[0] };
        o.AcceptOnlyFromAmong(choices);
        return o;
    }

    /// <summary>The table format a --format value names.</summary>
    public static TableFormat ParseFormat(string? value) => value switch
    {
        "json" => TableFormat.Json,
        "csv" => TableFormat.Csv,
        "markdown" => TableFormat.Markdown,
        _ => TableFormat.Text,
    };

    /// <summary>A confidence or interval level given on the command line, checked to lie in (0, 1).</summary>
    public static double Level(double value, string option = "--level") =>
        value > 0 && value < 1 ? value : throw new UsageException($"{option} {value}: the level must be between 0 and 1, e.g. 0.95");

    /// <summary>A note on rows removed for missing values, for text output.</summary>
    public static string DroppedRowsNote(LinearMixedModel model) =>
        model.DroppedRows == 0 ? "" : $"\nNote: {model.DroppedRows} row{(model.DroppedRows == 1 ? " was" : "s were")} removed for missing values.\n";

    private static Dictionary<string, ContrastKind> ParseContrasts(string[] specs)
    {
        var result = new Dictionary<string, ContrastKind>(StringComparer.Ordinal);
        foreach (string spec in specs)
        {
            int eq = spec.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--contrasts {spec}: write it as COL=treatment|sum|helmert|poly");
            string kind = spec[(eq + 1)..].Trim().ToLowerInvariant();
            result[spec[..eq].Trim()] = kind switch
            {
                "treatment" or "contr.treatment" => ContrastKind.Treatment,
                "sum" or "contr.sum" => ContrastKind.Sum,
                "helmert" or "contr.helmert" => ContrastKind.Helmert,
                "poly" or "polynomial" or "contr.poly" => ContrastKind.Polynomial,
                _ => throw new UsageException($"--contrasts {spec}: unknown coding '{kind}'; use treatment, sum, helmert or poly"),
            };
        }
        return result;
    }
}

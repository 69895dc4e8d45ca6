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
    private readonly Option<string?> _family = new("--family") { Description = "Response family of a generalized linear mixed model (lme4's glmer): binomial, poisson, Gamma, inverse.gaussian; default gaussian (lmer)" };
    private readonly Option<string?> _link = new("--link") { Description = "Link function (default: the family's canonical link): logit, probit, cloglog, cauchit, log, sqrt, identity, inverse, 1/mu^2" };
    private readonly Option<int> _nagq = new("--nagq") { Description = "glmer's nAGQ: 1 Laplace (default), 0 fast, 2-25 adaptive Gauss-Hermite quadrature (one scalar random-effects term)", DefaultValueFactory = _ => 1 };
    private readonly Option<string?> _weights = new("--weights") { Description = "Prior weights: a column or expression (lme4's weights =); with --family binomial and a proportion response, the numbers of trials" };
    private readonly Option<string?> _offset = new("--offset") { Description = "An offset: a column or expression added to the linear predictor (lme4's offset =), e.g. \"log(exposure)\"" };

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
        foreach (Option o in new Option[] { (Option?)_formula ?? _formulas!, _ml, _maxEvaluations, _contrasts, _family, _link, _nagq, _weights, _offset, _output })
            command.Add(o);
    }

    /// <summary>The formulas given.</summary>
    public string[] Formulas(ParseResult parse) =>
        _formula is not null ? [parse.GetValue(_formula)!] : parse.GetValue(_formulas!) ?? [];

    /// <summary>True when --ml was given.</summary>
    public bool Ml(ParseResult parse) => parse.GetValue(_ml);

    /// <summary>Loads the data with the column options applied, and its display name.</summary>
    public (Table Table, string Name) Data(ParseResult parse) => _source.Load(parse);

    /// <summary>
    /// The family given by --family and --link, or null for a linear mixed model (no --family, or gaussian with
    /// the identity link).
    /// </summary>
    public Families.Family? Family(ParseResult parse)
    {
        string? name = parse.GetValue(_family), link = parse.GetValue(_link);
        if (name is null && link is null) return null;
        try
        {
            var f = Families.Family.Create(name ?? "gaussian", link);
            return f.Name == "gaussian" && f.Link.Name == "identity" ? null : f;
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{(name is null ? "" : "--family " + name + " ")}{(link is null ? "" : "--link " + link)}: {e.Message.Split(" (Parameter")[0]}");
        }
    }

    /// <summary>Fits one formula to the loaded data: a glmer fit with --family, else an lmer fit (REML unless --ml).</summary>
    public IMixedModel FitAny(ParseResult parse, (Table Table, string Name) data, string formula)
    {
        var family = Family(parse);
        if (family is null) return Fit(parse, data, formula);
        if (Ml(parse)) throw new UsageException("--ml: a generalized linear mixed model is always fitted by maximum likelihood; leave --ml out");
        int nagq = parse.GetValue(_nagq);
        if (nagq is < 0 or > 25) throw new UsageException($"--nagq {nagq}: nAGQ must be between 0 and 25");
        using var progress = ProgressBar.Count("fitting", "evaluations");
        return GeneralizedLinearMixedModel.Fit(formula, data.Table, new GlmmFitOptions
            {
                Family = family, Nagq = nagq, Progress = progress, Optimizer = MaxEvaluations(parse) is int m ? new BobyqaOptions { MaxEvaluations = m, InitialRadius = 0.2 } : null,
            }, Design(parse, family), data.Name);
    }

    /// <summary>Fits one formula to the loaded data (REML unless --ml), with a running evaluation count on a terminal for a long fit.</summary>
    public LinearMixedModel Fit(ParseResult parse, (Table Table, string Name) data, string formula)
    {
        if (Family(parse) is { } family)
            throw new UsageException($"--family {family.Name}: this command works on linear mixed models only so far; `mixed fit` fits generalized models");
        using var progress = ProgressBar.Count("fitting", "evaluations");
        return LinearMixedModel.Fit(formula, data.Table, new FitOptions
            {
                Reml = !Ml(parse), Progress = progress, Optimizer = MaxEvaluations(parse) is int m ? new BobyqaOptions { MaxEvaluations = m } : null,
            }, Design(parse, null), data.Name);
    }

    private int? MaxEvaluations(ParseResult parse)
    {
        int? max = parse.GetValue(_maxEvaluations);
        if (max is < 1) throw new UsageException($"--max-evaluations {max}: give a positive number of evaluations");
        return max;
    }

    private DesignOptions Design(ParseResult parse, Families.Family? family) => new()
    {
        Contrasts = ParseContrasts(parse.GetValue(_contrasts) ?? []),
        Frame = new FrameOptions { Weights = parse.GetValue(_weights), Offset = parse.GetValue(_offset) },
        Family = family,
    };

    /// <summary>Fits the (single) formula, of any family.</summary>
    public IMixedModel FitAny(ParseResult parse) => FitAny(parse, Data(parse), Formulas(parse)[0]);

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
    public static string DroppedRowsNote(IMixedModel model) =>
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

using System.CommandLine;
using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Pushdown;
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
    private readonly Option<string?> _optimizer = new Option<string?>("--optimizer")
    {
        Description = "lmer's optimizer: auto (default: quasi-Newton with the analytic gradient for more than 6 covariance parameters, else bobyqa), bobyqa, quasi-newton",
    }.AcceptOnlyFromAmong("auto", "bobyqa", "quasi-newton");
    private readonly Option<string[]> _contrasts = new("--contrasts") { Description = "Contrast coding of a factor: COL=treatment|sum|helmert|poly (repeatable)" };
    private readonly Option<string?> _output = Output.FileOption();
    private readonly Option<string?> _family = new("--family") { Description = "Response family of a generalized linear mixed model (lme4's glmer): binomial, poisson, Gamma, inverse.gaussian; default gaussian (lmer)" };
    private readonly Option<string?> _link = new("--link") { Description = "Link function (default: the family's canonical link): logit, probit, cloglog, cauchit, log, sqrt, identity, inverse, 1/mu^2" };
    private readonly Option<int> _nagq = new("--nagq") { Description = "glmer's nAGQ: 1 Laplace (default), 0 fast, 2-25 adaptive Gauss-Hermite quadrature (one scalar random-effects term)", DefaultValueFactory = _ => 1 };
    private readonly Option<string?> _weights = new("--weights") { Description = "Prior weights: a column or expression (lme4's weights =); with --family binomial and a proportion response, the numbers of trials" };
    private readonly Option<string?> _offset = new("--offset") { Description = "An offset: a column or expression added to the linear predictor (lme4's offset =), e.g. \"log(exposure)\"" };
    private readonly Option<bool> _robust = new("--robust") { Description = "Fit robustly, as robustlmm's rlmer (DAS estimates with smoothed Huber functions): outlying observations and groups are downweighted" };
    private readonly Option<string> _engine = new Option<string>("--engine")
    {
        Description = "Where a linear mixed model's sums are computed: memory (read the rows), duckdb (inside the Parquet, CSV or DuckDB file by DuckDB, which never loads the rows; residual quantiles by one more pass), or auto (duckdb for such files of 1 GB or more; the default)",
        DefaultValueFactory = _ => "auto",
    }.AcceptOnlyFromAmong("auto", "memory", "duckdb");
    private readonly Option<string?> _robustMethod = new Option<string?>("--robust-method") { Description = "rlmer's method: DAStau (default, quadrature) or DASvar (faster approximation)" }.AcceptOnlyFromAmong("DAStau", "DASvar");

    /// <param name="formulas">Whether --formula may be repeated (model comparison).</param>
    public ModelOptions(bool formulas = false)
    {
        if (formulas)
        {
            _formulas = new Option<string[]>("--formula", "-f") { Description = "A model in lme4 syntax; repeat for each model to compare" };
            _call = new Option<string[]>("--call") { Description = "A model as the R call that fits it, e.g. 'glmer(y ~ x + (1 | g), family = binomial, data = d)' (repeatable; instead of --formula)" };
        }
        else
        {
            _formula = new Option<string>("--formula", "-f") { Description = "The model in lme4 syntax, e.g. \"Reaction ~ Days + (Days | Subject)\"" };
            _call = new Option<string[]>("--call") { Description = "The model as the R call that fits it, e.g. 'lmer(Reaction ~ Days + (Days | Subject), REML = FALSE)' (instead of --formula)" };
        }
    }

    private readonly Option<string[]> _call;

    /// <summary>The models given: by --formula (with the family, weights and offset options) or by --call.</summary>
    public IReadOnlyList<ModelSpec> Models(ParseResult parse)
    {
        var formulas = _formula is not null ? (parse.GetValue(_formula) is { } f ? [f] : Array.Empty<string>()) : parse.GetValue(_formulas!) ?? [];
        var calls = parse.GetValue(_call) ?? [];
        if (formulas.Length > 0 && calls.Length > 0) throw new UsageException("give the model(s) by --formula or by --call, not both");
        if (formulas.Length == 0 && calls.Length == 0)
            throw new UsageException("no model: give --formula \"y ~ x + (1 | g)\" or --call 'lmer(y ~ x + (1 | g))'");
        if (_formula is not null && calls.Length > 1) throw new UsageException("this command fits one model: give --call once");
        if (calls.Length == 0) return formulas.Select(f => new ModelSpec(f, null)).ToList();
        var specs = new List<ModelSpec>();
        foreach (string c in calls)
        {
            var call = ModelCall.Parse(c);
            specs.Add(new ModelSpec(call.Formula, call));
        }
        return specs;
    }

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        _source.AddTo(command);
        foreach (Option o in new Option[] { (Option?)_formula ?? _formulas!, _call, _ml, _maxEvaluations, _optimizer, _contrasts, _family, _link, _nagq, _weights, _offset, _robust, _robustMethod, _output })
            command.Add(o);
    }

    /// <summary>Adds --engine (the commands that can fit from sums computed inside the data file).</summary>
    public void AddEngineTo(Command command) => command.Add(_engine);

    /// <summary>The formulas given (by --formula or inside --call).</summary>
    public string[] Formulas(ParseResult parse) => Models(parse).Select(m => m.Formula).ToArray();

    /// <summary>True when --ml was given.</summary>
    public bool Ml(ParseResult parse) => parse.GetValue(_ml);

    /// <summary>
    /// Loads the data with the column options applied, and its display name; without --data or --connection, the
    /// data named by a --call's <c>data =</c> (an embedded data set or a file).
    /// </summary>
    public (Table Table, string Name) Data(ParseResult parse)
    {
        string? named = _source.Given(parse) ? null : Models(parse).Select(m => m.Call?.DataName).FirstOrDefault(n => n is not null);
        return named is null ? _source.Load(parse) : _source.Load(parse, named);
    }

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

    /// <summary>Files this large are fitted inside DuckDB under --engine auto.</summary>
    private const long AutoEngineBytes = 1L << 30;

    /// <summary>
    /// The model fitted from sums computed inside the data file (--engine duckdb, or auto for a large file), or null
    /// when it is to be fitted in memory. Only a linear mixed model given by --formula goes to the engine.
    /// </summary>
    public LinearMixedModel? FitPushedDown(ParseResult parse)
    {
        string choice = parse.GetValue(_engine) ?? "auto";
        if (choice == "memory") return null;
        bool required = choice == "duckdb";
        var spec = Models(parse)[0];
        string? other = spec.Call is not null ? "--call" : Family(parse) is not null ? "--family" : Robust(parse) ? "--robust"
            : parse.GetValue(_offset) is not null ? "--offset (write offset() in the formula)" : null;
        if (other is not null) return required ? throw new UsageException($"--engine duckdb fits linear mixed models given by --formula; {other} needs --engine memory") : null;
        using var engine = _source.Engine(parse, required, AutoEngineBytes);
        if (engine is null) return null;
        if (engine is PostgresEngine { Parts: > 1 } pg)
        {
            pg.Progress = new PartitionProgress(parse.InvocationConfiguration.Error, pg.Parts);
        }
        parse.InvocationConfiguration.Error.WriteLine($"note: the model is fitted from sums computed by {engine.Description}; the rows are not loaded");
        using var progress = ProgressBar.Count("fitting", "evaluations");
        return AggregatedFit.Fit(spec.Formula, engine, new FitOptions
        {
            Reml = !Ml(parse), Progress = progress, Optimizer = MaxEvaluations(parse) is int m ? new BobyqaOptions { MaxEvaluations = m } : null,
            Method = Method(parse),
        }, Design(parse, null));
    }

    /// <summary>Fits one formula to the loaded data: a glmer fit with --family, else an lmer fit (REML unless --ml).</summary>
    public IMixedModel FitAny(ParseResult parse, (Table Table, string Name) data, string formula) => FitAny(parse, data, new ModelSpec(formula, null));

    /// <summary>Fits one model to the loaded data: a --call as it says (the command's --weights, --offset and contrasts apply too), else as <see cref="FitAny(ParseResult, ValueTuple{Table, string}, string)"/>.</summary>
    public IMixedModel FitAny(ParseResult parse, (Table Table, string Name) data, ModelSpec spec)
    {
        if (spec.Call is { } call)
        {
            if (call.Robust is not null) throw new UsageException("--call rlmer(...): this command works on lmer and glmer fits; `mixed fit`, `mixed tidy`, `mixed compare --robust` and `mixed plot` take rlmer");
            if (call.HasStructures) throw new UsageException($"--call {call.Function}(...) with weights = or correlation =: fit, lme, gls, compare, anova, confint, tidy, ranef, predict, simulate, residuals, varcov, acf, variogram, plot and report take it; this command does not take nlme's variance functions and correlation structures yet");
            if (Family(parse) is not null || parse.GetValue(_ml)) throw new UsageException("--family, --link and --ml go with --formula; inside --call use family = and REML =");
            RequireLmerOptimizer(parse, $"--call {call.Function}(...)");
            WriteNotes(parse, call);
            using var bar = ProgressBar.Count("fitting", "evaluations");
            return call.Fit(data.Table, Design(parse, null), data.Name);
        }
        string formula = spec.Formula;
        var family = Family(parse);
        if (family is null) return Fit(parse, data, formula);
        if (Ml(parse)) throw new UsageException("--ml: a generalized linear mixed model is always fitted by maximum likelihood; leave --ml out");
        RequireLmerOptimizer(parse, $"--family {family.Name}: glmer");
        int nagq = parse.GetValue(_nagq);
        if (nagq is < 0 or > 25) throw new UsageException($"--nagq {nagq}: nAGQ must be between 0 and 25");
        using var progress = ProgressBar.Count("fitting", "evaluations");
        return GeneralizedLinearMixedModel.Fit(formula, data.Table, new GlmmFitOptions
            {
                Family = family, Nagq = nagq, Progress = progress, Optimizer = MaxEvaluations(parse) is int m ? new BobyqaOptions { MaxEvaluations = m, InitialRadius = 0.2 } : null,
            }, Design(parse, family), data.Name);
    }

    /// <summary>Fits one model that must be a linear mixed model (a --call of lmer or lm, or a formula without --family).</summary>
    public LinearMixedModel Fit(ParseResult parse, (Table Table, string Name) data, ModelSpec spec)
    {
        if (spec.Call is null) return Fit(parse, data, spec.Formula);
        return FitAny(parse, data, spec) as LinearMixedModel
            ?? throw new UsageException($"--call {spec.Call.Function}(...): this command works on linear mixed models only so far; `mixed fit` fits generalized models");
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
                Method = Method(parse),
            }, Design(parse, null), data.Name);
    }

    /// <summary>Refuses --optimizer for fits it does not apply to (they use BOBYQA).</summary>
    private void RequireLmerOptimizer(ParseResult parse, string what)
    {
        if (parse.GetValue(_optimizer) is { } o and not "auto")
            throw new UsageException($"--optimizer {o}: chooses the optimizer of an lmer fit given by --formula; {what} uses BOBYQA, leave --optimizer out");
    }

    /// <summary>The --optimizer choice (auto when not given).</summary>
    private OptimizerMethod Method(ParseResult parse) => parse.GetValue(_optimizer) switch
    {
        "bobyqa" => OptimizerMethod.Bobyqa,
        "quasi-newton" => OptimizerMethod.QuasiNewton,
        _ => OptimizerMethod.Auto,
    };

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

    /// <summary>True when the (single) model is a robust fit: --robust, or an rlmer() call.</summary>
    public bool Robust(ParseResult parse) => parse.GetValue(_robust) || parse.GetValue(_robustMethod) is not null || Models(parse).Any(m => m.Call?.Robust is not null);

    /// <summary>Fits the (single) model robustly (rlmer): --formula with --robust [--robust-method], or an rlmer() call.</summary>
    public RobustLinearMixedModel FitRobust(ParseResult parse) => FitRobust(parse, Data(parse), Models(parse)[0]);

    /// <summary>Fits one model robustly to the loaded data.</summary>
    public RobustLinearMixedModel FitRobust(ParseResult parse, (Table Table, string Name) data, ModelSpec spec)
    {
        if (Family(parse) is not null) throw new UsageException("--robust: robust estimation (rlmer) is for linear mixed models; leave out --family");
        if (parse.GetValue(_ml)) throw new UsageException("--robust: rlmer starts from the REML fit and has no ML variant; leave out --ml");
        if (parse.GetValue(_weights) is not null) throw new UsageException("--robust: rlmer does not take prior weights (robustlmm refuses them too)");
        RequireLmerOptimizer(parse, "--robust: rlmer's initial fit");
        string? method = parse.GetValue(_robustMethod);
        if (spec.Call is { } call)
        {
            if (call.Robust is null) throw new UsageException($"--robust goes with --formula or an rlmer() call, not {call.Function}()");
            if (method is not null) throw new UsageException("--robust-method goes with --formula; inside --call use method = \"DASvar\"");
            WriteNotes(parse, call);
            return call.FitRobust(data.Table, Design(parse, null), data.Name);
        }
        var options = new MixedModels.Robust.RobustFitOptions { Method = method == "DASvar" ? MixedModels.Robust.RobustMethod.DASVar : MixedModels.Robust.RobustMethod.DASTau };
        return RobustLinearMixedModel.Fit(spec.Formula, data.Table, options, Design(parse, null), data.Name);
    }

    /// <summary>Fits the (single) formula, of any family.</summary>
    public IMixedModel FitAny(ParseResult parse) => FitAny(parse, Data(parse), Models(parse)[0]);

    /// <summary>
    /// As <see cref="FitAny(ParseResult)"/>, but an lme()/gls() call with nlme's structures gives its fit's transformed
    /// linear mixed model, whose β̂, conditional modes and their conditional variances are the structured fit's (for
    /// ranef, coef and population or conditional predictions; not for residuals or prediction intervals).
    /// </summary>
    public IMixedModel FitAnyOrTransformed(ParseResult parse)
    {
        var spec = Models(parse)[0];
        return spec.Call is { HasStructures: true } call ? FitNlme(parse, Data(parse), call).Transformed : FitAny(parse);
    }

    /// <summary>The notes of a call (arguments accepted but not used) on standard error.</summary>
    private static void WriteNotes(ParseResult parse, ModelCall call)
    {
        foreach (string note in call.Notes) parse.InvocationConfiguration.Error.WriteLine("note: " + Formatting.TerminalText.Escape(note));
    }

    /// <summary>Fits the (single) --call of gls() or lme() with nlme's variance function or correlation structure.</summary>
    public (NlmeModel Fit, ModelCall Call) FitNlme(ParseResult parse)
    {
        var call = Models(parse)[0].Call ?? throw new UsageException("nlme's structures are given in --call 'gls(...)' or --call 'lme(...)'");
        return (FitNlme(parse, Data(parse), call), call);
    }

    /// <summary>
    /// Fits the (single) model of a command that is one of nlme's functions (<paramref name="what"/>, e.g. "acf is
    /// nlme's ACF"): it must be given as an lme() or gls() call.
    /// </summary>
    public NlmeModel FitNlmeCall(ParseResult parse, string what)
    {
        var call = Models(parse)[0].Call;
        if (call is not { IsNlme: true }) throw new UsageException($"{what}: give the model as --call 'lme(...)' or --call 'gls(...)'");
        return FitNlme(parse, Data(parse), call);
    }

    /// <summary>Fits an lme() or gls() call, with or without structures, to the loaded data as an <see cref="NlmeModel"/>.</summary>
    public NlmeModel FitNlme(ParseResult parse, (Table Table, string Name) data, ModelCall call)
    {
        if (!call.IsNlme) throw new UsageException($"--call {call.Function}(...): give lme() or gls() calls here");
        WriteNotes(parse, call);
        using var bar = ProgressBar.Count("fitting", "evaluations");
        return call.FitNlme(data.Table, Design(parse, null), data.Name);
    }

    /// <summary>Fits the (single) model, which must be a linear mixed model.</summary>
    public LinearMixedModel FitLinear(ParseResult parse) => Fit(parse, Data(parse), Models(parse)[0]);

    /// <summary>Fits the (single) formula.</summary>
    public LinearMixedModel Fit(ParseResult parse) => FitLinear(parse);

    /// <summary>Writes the output where --output says.</summary>
    public void Write(ParseResult parse, string text) => Output.Write(parse, parse.GetValue(_output), text);

    /// <summary>The --output file, or null for standard output.</summary>
    public string? OutputPath(ParseResult parse) => parse.GetValue(_output);

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
    public static string DroppedRowsNote(IMixedModel model) => DroppedRowsNote(model.DroppedRows);

    /// <summary>A note on <paramref name="dropped"/> rows removed for missing values (any fit), for text output.</summary>
    public static string DroppedRowsNote(int dropped) =>
        dropped == 0 ? "" : $"\nNote: {dropped} row{(dropped == 1 ? " was" : "s were")} removed for missing values.\n";

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

/// <summary>One model of a command: its formula and, when it was given as an R call, the call.</summary>
/// <summary>Writes a line as each partition's query of a pass completes (progress on long push-down queries).</summary>
internal sealed class PartitionProgress(TextWriter output, int parts) : IProgress<string>
{
    private int _done;

    public void Report(string value)
    {
        lock (output) output.WriteLine($"  summed partition {value} ({_done++ % parts + 1} of {parts} in this pass)");
    }
}

internal sealed record ModelSpec(string Formula, ModelCall? Call);

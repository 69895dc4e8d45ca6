using System.Globalization;
using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Families;
using MixedModels.Formulas;
using MixedModels.Robust;
using MixedModels.Structures;

namespace MixedModels.Results;

/// <summary>
/// A model given as the R call that fits it — <c>lmer(Reaction ~ Days + (Days | Subject), REML = FALSE)</c>,
/// <c>glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), family = binomial, data = cbpp)</c>,
/// <c>lm(...)</c>, <c>glm(...)</c> — with R's argument names: <c>formula</c>, <c>data</c>, <c>family</c>
/// (<c>binomial</c>, <c>binomial(link = "probit")</c>, …), <c>REML</c>, <c>nAGQ</c>, <c>weights</c>,
/// <c>offset</c>; and robustlmm's <c>rlmer(...)</c> with its <c>method</c>, <c>setting</c> and ψ-functions (see
/// <see cref="Robust"/>). <c>control</c> (and lme4's other tuning arguments) is accepted and ignored with a note; any
/// other argument is refused with a message naming it.
/// </summary>
public sealed record ModelCall
{
    private static readonly string[] Ignored = ["control", "verbose", "na.action"];

    /// <summary>The R function (lmer, glmer, lm, glm).</summary>
    public required string Function { get; init; }

    /// <summary>The model formula's text.</summary>
    public required string Formula { get; init; }

    /// <summary>The data's name from <c>data =</c>, or null.</summary>
    public string? DataName { get; init; }

    /// <summary>The family (null for lmer and lm, or a gaussian identity-link family).</summary>
    public Family? Family { get; init; }

    /// <summary>REML (lmer's default) or ML.</summary>
    public bool Reml { get; init; } = true;

    /// <summary>glmer's nAGQ.</summary>
    public int Nagq { get; init; } = 1;

    /// <summary>The prior weights' expression, or null.</summary>
    public string? Weights { get; init; }

    /// <summary>The offset's expression, or null.</summary>
    public string? Offset { get; init; }

    /// <summary>True for nlme's <c>lme()</c> and <c>gls()</c> (the model is fitted by the same engine; nlme's tables print it).</summary>
    public bool IsNlme => Function is "lme" or "gls";

    /// <summary>An nlme call's fixed-effects formula as written (<c>fixed =</c> of lme, <c>model =</c> of gls), or null.</summary>
    public string? NlmeFixed { get; init; }

    /// <summary>An lme call's <c>random =</c> formula as written, or null.</summary>
    public string? NlmeRandom { get; init; }

    /// <summary>The grouping levels of an lme() call's <c>random =</c>, from the outermost in (empty for other calls).</summary>
    public IReadOnlyList<NlmeRandomLevel> NlmeRandomLevels { get; init; } = [];

    /// <summary>An nlme call's variance function (<c>weights =</c>), or null.</summary>
    public VarianceFunction? NlmeWeights { get; init; }

    /// <summary>An nlme call's correlation structure (<c>correlation =</c>), or null.</summary>
    public CorrelationStructure? NlmeCorrelation { get; init; }

    /// <summary>nlme's <c>maxIter</c> from <c>control = lmeControl(maxIter = k)</c>, or null for its default (50).</summary>
    public int? NlmeMaxIterations { get; init; }

    /// <summary>True for an nlme call with a variance function or a correlation structure (fitted by <see cref="FitNlme"/>).</summary>
    public bool HasStructures => NlmeWeights is not null || NlmeCorrelation is not null;

    /// <summary>Fits an lme or gls call with its variance function and correlation structure.</summary>
    /// <exception cref="InvalidOperationException">The call is not lme() or gls().</exception>
    public NlmeModel FitNlme(Table data, DesignOptions? design = null, string? dataName = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!IsNlme) throw new InvalidOperationException($"{Function}() is not an nlme call: use Fit");
        var options = new NlmeFitOptions { Reml = Reml, Correlation = NlmeCorrelation, Weights = NlmeWeights };
        if (NlmeMaxIterations is int k) options = options with { MaxIterations = k };
        return NlmeModel.Fit(Formula, data, options, design,
            dataName ?? DataName ?? "data");
    }

    /// <summary>A fit of this lme or gls call with structures as JSON (nlme's names for the structures' parameters).</summary>
    public string ToJson(NlmeModel fit, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return Reporting.NlmeJsonReport.Write(fit, Function, indented);
    }

    /// <summary>nlme's <c>summary()</c> of a fit of this lme or gls call with structures.</summary>
    public string Summary(NlmeModel fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (!IsNlme) throw new InvalidOperationException($"nlme's summary is for lme() and gls() calls, not {Function}()");
        return Reporting.NlmeSummaryWriter.Write(fit, this);
    }

    /// <summary>nlme's <c>summary()</c> of a fit of this lme or gls call.</summary>
    /// <exception cref="InvalidOperationException">The call is not lme() or gls().</exception>
    public string Summary(LinearMixedModel fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (!IsNlme) throw new InvalidOperationException($"nlme's summary is for lme() and gls() calls, not {Function}()");
        return Reporting.NlmeSummaryWriter.Write(fit, this);
    }

    /// <summary>The options of an <c>rlmer()</c> call (robustlmm's robust fit), or null for the other functions.</summary>
    public RobustFitOptions? Robust { get; init; }

    /// <summary>What was accepted but not used (<c>control = ...</c>).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Parses and interprets a call; errors name the argument (and its position).</summary>
    /// <exception cref="FormulaException">A syntax error, or an argument this tool does not take.</exception>
    public static ModelCall Parse(string text)
    {
        var call = RCall.Parse(text);
        string fn = call.Function;
        int ns = fn.LastIndexOf("::", StringComparison.Ordinal);
        if (ns >= 0) fn = fn[(ns + 2)..];
        if (fn is "glmer.nb" or "glmmTMB" or "nlme" or "lmer.nb")
            throw new FormulaException(text, 0, $"{fn}() is not supported yet; the calls understood are lmer(), glmer(), rlmer(), lme(), gls(), lm() and glm()");
        if (fn is not ("lmer" or "glmer" or "lm" or "glm" or "rlmer" or "lme" or "gls"))
            throw new FormulaException(text, 0, $"unknown model function {fn}(); the calls understood are lmer(), glmer(), rlmer(), lme(), gls(), lm() and glm()");
        if (fn == "rlmer") return ParseRobust(text, call);
        if (fn is "lme" or "gls") return ParseNlme(text, call, fn);
        string[] allowed = fn switch
        {
            "lmer" => ["formula", "data", "REML", "weights", "offset", "family"],
            "glmer" => ["formula", "data", "family", "nAGQ", "weights", "offset"],
            "lm" => ["formula", "data", "weights", "offset"],
            _ => ["formula", "data", "family", "weights", "offset"],
        };
        string? formula = null, data = null, weights = null, offset = null;
        Family? family = fn is "glmer" or "glm" ? Family.Create(fn == "glm" ? "gaussian" : "binomial") : null;
        bool familyGiven = false, reml = true;
        int nagq = 1;
        var notes = new List<string>();
        foreach (var (name, a) in Named(text, call, "family = ..., weights = ..."))
        {
            if (Array.IndexOf(Ignored, name) >= 0)
            {
                notes.Add($"{name} = {a.Value} is ignored: this tool's own optimizer settings are used");
                continue;
            }
            if (Array.IndexOf(allowed, name) < 0)
                throw new FormulaException(text, a.Position, $"argument '{name}' of {fn}() is not supported here; supported: {string.Join(", ", allowed)}" +
                    (name == "subset" ? " (select the rows before fitting)" : ""));
            switch (name)
            {
                case "formula": formula = a.Value; break;
                case "data": data = RCall.StringLiteral(a.Value) ?? a.Value; break;
                case "weights": weights = a.Value; break;
                case "offset": offset = a.Value; break;
                case "REML": reml = Logical(text, a, "REML"); break;
                case "nAGQ":
                    if (!int.TryParse(a.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out nagq) &&
                        !(double.TryParse(a.Value.TrimEnd('L'), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d) && (nagq = (int)d) == d))
                        throw new FormulaException(text, a.Position, $"nAGQ = {a.Value}: give a whole number from 0 to 25");
                    if (nagq is < 0 or > 25) throw new FormulaException(text, a.Position, $"nAGQ = {a.Value}: give a whole number from 0 to 25");
                    break;
                case "family": family = ParseFamily(text, a); familyGiven = true; break;
            }
        }
        if (formula is null) throw new FormulaException(text, text.Length, $"{fn}() needs a formula, e.g. {fn}(y ~ x{(fn is "lm" or "glm" ? "" : " + (1 | g)")})");
        var parsed = Formulas.Formula.Parse(formula);
        if (fn is "lm" or "glm" && parsed.RandomTerms.Count > 0)
            throw new FormulaException(text, 0, $"{fn}() takes no random-effects terms; use {(fn == "lm" ? "lmer" : "glmer")}()");
        if (fn == "lmer" && familyGiven) notes.Add("lmer() with a family is glmer(), as lme4 does");
        if (family is { Name: "gaussian", Link.Name: "identity" }) family = null;
        return new ModelCall
        {
            Function = fn, Formula = formula, DataName = data, Family = family, Reml = reml, Nagq = nagq, Weights = weights,
            Offset = offset, Notes = notes.AsReadOnly(),
        };
    }

    /// <summary>The design options of the call (weights, offset, family) merged into <paramref name="design"/>.</summary>
    public DesignOptions DesignOptions(DesignOptions? design = null) => (design ?? new DesignOptions()) with
    {
        Frame = new FrameOptions { Weights = Weights ?? design?.Frame?.Weights, Offset = Offset ?? design?.Frame?.Offset },
        Family = Family,
    };

    /// <summary>Fits the call's model to <paramref name="data"/>: a linear or generalized linear mixed model (or lm/glm).</summary>
    /// <exception cref="InvalidOperationException">The call is <c>rlmer()</c>: use <see cref="FitRobust"/>.</exception>
    public IMixedModel Fit(Table data, DesignOptions? design = null, string? dataName = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Robust is not null) throw new InvalidOperationException("an rlmer() call is a robust fit: use FitRobust");
        if (HasStructures) throw new InvalidOperationException($"a {Function}() call with weights = or correlation = is fitted by FitNlme");
        var options = DesignOptions(design);
        string name = dataName ?? DataName ?? "data";
        if (Family is null)
            return LinearMixedModel.Fit(Formula, data, new FitOptions { Reml = Reml && Function is "lmer" or "lme" or "gls" }, options, name);
        return GeneralizedLinearMixedModel.Fit(Formula, data, new GlmmFitOptions { Family = Family, Nagq = Nagq }, options, name);
    }

    /// <summary>Fits an <c>rlmer()</c> call's robust model to <paramref name="data"/>.</summary>
    /// <exception cref="InvalidOperationException">The call is not <c>rlmer()</c>.</exception>
    public RobustLinearMixedModel FitRobust(Table data, DesignOptions? design = null, string? dataName = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var options = Robust ?? throw new InvalidOperationException($"a {Function}() call is not a robust fit: use Fit");
        return RobustLinearMixedModel.Fit(Formula, data, options, design, dataName ?? DataName ?? "data");
    }

    private static ModelCall ParseRobust(string text, RCall call)
    {
        string? formula = null, data = null;
        var options = new RobustFitOptions();
        var notes = new List<string>();
        foreach (var (name, a) in Named(text, call, "method = ..., rho.e = ..."))
        {
            if (name is "verbose" or "doFit" or "init") { notes.Add($"{name} = {a.Value} is ignored"); continue; }
            if (name == "formula") formula = a.Value;
            else if (name == "data") data = RCall.StringLiteral(a.Value) ?? a.Value;
            else options = RobustCall.Apply(options, text, a with { Name = name });
        }
        if (formula is null) throw new FormulaException(text, text.Length, "rlmer() needs a formula, e.g. rlmer(y ~ x + (1 | g))");
        if (Formulas.Formula.Parse(formula).RandomTerms.Count == 0) throw new FormulaException(text, 0, "rlmer() needs a random-effects term, e.g. (1 | g)");
        return new ModelCall { Function = "rlmer", Formula = formula, DataName = data, Robust = options, Notes = notes.AsReadOnly() };
    }

    /// <summary>The call's arguments with their names: the first two unnamed ones are formula and data, as in R; a later unnamed one is an error.</summary>
    private static IEnumerable<(string Name, RArgument Argument)> Named(string text, RCall call, string example)
    {
        int positional = 0;
        foreach (var a in call.Arguments)
        {
            string name = a.Name ?? (positional++ switch
            {
                0 => "formula",
                1 => "data",
                _ => throw new FormulaException(text, a.Position, $"give the arguments of {call.Function}() after formula and data by name ({example})"),
            });
            yield return (name, a);
        }
    }

    /// <summary>
    /// nlme's <c>lme(fixed, data, random = ~ x | g, method = "REML")</c> and <c>gls(model, data, method)</c> without
    /// variance functions or correlation structures: the random part <c>~ x | g</c> (with its intercept) or
    /// <c>~ x | a/b</c> becomes lme4's <c>(x | g)</c> or <c>(x | a/b)</c>, the same model.
    /// </summary>
    private static ModelCall ParseNlme(string text, RCall call, string fn)
    {
        string? formula = null, data = null, random = null;
        bool reml = true;
        var notes = new List<string>();
        string first = fn == "lme" ? "fixed" : "model";
        VarianceFunction? weights = null;
        CorrelationStructure? correlation = null;
        int? maxIter = null;
        foreach (var (name0, a) in Named(text, call, "random = ..., method = ..."))
        {
            string name = name0 == "formula" ? first : name0;
            switch (name)
            {
                case "fixed" when fn == "lme": formula = a.Value; break;
                case "model" when fn == "gls": formula = a.Value; break;
                case "data": data = RCall.StringLiteral(a.Value) ?? a.Value; break;
                case "random" when fn == "lme": random = a.Value; break;
                case "method":
                    reml = (RCall.StringLiteral(a.Value) ?? a.Value) switch
                    {
                        "REML" => true,
                        "ML" => false,
                        _ => throw new FormulaException(text, a.Position, $"method = {a.Value}: nlme's methods are \"REML\" and \"ML\""),
                    };
                    break;
                case "control": maxIter = NlmeControl(text, a, notes) ?? maxIter; break;
                case "na.action": notes.Add($"{name} = {a.Value} is ignored"); break;
                case "weights":
                    weights = Structure(text, a, () => a.Value.TrimStart().StartsWith('~') ? new VarFixed(StructureFormula.Parse(a.Value, "weights")) : VarianceFunction.Parse(a.Value));
                    break;
                case "correlation":
                    correlation = Structure(text, a, () => CorrelationStructure.Parse(a.Value));
                    break;
                default:
                    throw new FormulaException(text, a.Position, $"argument '{name}' of {fn}() is not supported here; supported: {first}, data, {(fn == "lme" ? "random, " : "")}method, weights, correlation");
            }
        }
        if (formula is null) throw new FormulaException(text, text.Length, $"{fn}() needs a formula, e.g. {fn}(y ~ x{(fn == "lme" ? ", random = ~ 1 | g" : "")})");
        if (Formulas.Formula.Parse(formula).RandomTerms.Count > 0)
            throw new FormulaException(text, 0, $"{fn}()'s {first} formula has no random-effects terms; {(fn == "lme" ? "give them by random = ~ x | g" : "use lme()")}");
        IReadOnlyList<NlmeRandomLevel> levels = [];
        string combined = formula;
        if (fn == "lme")
        {
            if (random is null) throw new FormulaException(text, text.Length, "lme() needs random =, e.g. random = ~ 1 | g");
            (levels, string terms) = NlmeRandomSpec.Translate(text, random, Math.Max(0, text.IndexOf(random, StringComparison.Ordinal)));
            combined = $"{formula} + {terms}";
        }
        return new ModelCall
        {
            Function = fn, Formula = combined, DataName = data, Reml = reml, Notes = notes.AsReadOnly(), NlmeFixed = formula, NlmeRandom = random,
            NlmeRandomLevels = levels, NlmeWeights = weights, NlmeCorrelation = correlation, NlmeMaxIterations = maxIter,
        };
    }

    /// <summary>
    /// <c>control = lmeControl(maxIter = k)</c> or <c>glsControl(...)</c>: maxIter (the alternating updates of a
    /// fitted-value variance covariate) is used; nlme's other settings are noted as ignored (the optimizer is BOBYQA).
    /// </summary>
    private static int? NlmeControl(string text, RArgument a, List<string> notes)
    {
        RCall control;
        try
        {
            control = RCall.Parse(a.Value);
        }
        catch (FormulaException)
        {
            notes.Add($"control = {a.Value} is ignored");
            return null;
        }
        if (control.Function is not ("lmeControl" or "glsControl"))
        {
            notes.Add($"control = {a.Value} is ignored");
            return null;
        }
        int? maxIter = null;
        foreach (var arg in control.Arguments)
        {
            if (arg.Name == "maxIter")
            {
                if (!int.TryParse(arg.Value.Trim().TrimEnd('L'), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int k) || k < 1)
                    throw new FormulaException(text, a.Position, $"{control.Function}(maxIter = {arg.Value}): give a whole number of at least 1");
                maxIter = k;
            }
            else notes.Add($"{control.Function}({(arg.Name is null ? arg.Value : arg.Name + " = " + arg.Value)}) is ignored (the optimizer is BOBYQA)");
        }
        return maxIter;
    }

    /// <summary>A structure parsed from an argument's text; its errors are placed in the whole call.</summary>
    private static T Structure<T>(string text, RArgument a, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormulaException e)
        {
            throw new FormulaException(text, a.Position + Math.Clamp(e.Position, 0, a.Value.Length), e.Problem);
        }
        catch (ModelException e)
        {
            throw new FormulaException(text, a.Position, e.Message);
        }
    }

    private static bool Logical(string text, RArgument a, string name) => a.Value switch
    {
        "TRUE" or "T" => true,
        "FALSE" or "F" => false,
        _ => throw new FormulaException(text, a.Position, $"{name} = {a.Value}: give TRUE or FALSE"),
    };

    private static Family ParseFamily(string text, RArgument a)
    {
        string v = a.Value.Trim();
        string? link = null;
        string name = v;
        int open = v.IndexOf('(');
        if (RCall.StringLiteral(v) is { } quoted) name = quoted;
        else if (open > 0)
        {
            var inner = RCall.Parse(v);
            name = inner.Function;
            var l = inner.Named("link") ?? inner.Arguments.FirstOrDefault(x => x.Name is null);
            if (l is not null) link = RCall.StringLiteral(l.Value) ?? l.Value;
            var other = inner.Arguments.FirstOrDefault(x => x.Name is not null and not "link");
            if (other is not null) throw new FormulaException(text, a.Position + other.Position, $"family argument '{other.Name}' is not supported; only link = is");
        }
        int colons = name.LastIndexOf("::", StringComparison.Ordinal);
        if (colons >= 0) name = name[(colons + 2)..];
        try
        {
            return Family.Create(name, link);
        }
        catch (ArgumentException e)
        {
            throw new FormulaException(text, a.Position, e.Message.Split(" (Parameter")[0]);
        }
    }
}

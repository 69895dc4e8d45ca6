using System.Globalization;
using MixedModels.Data;
using MixedModels.Formulas;

namespace MixedModels.Structures;

/// <summary>
/// An nlme variance function (<c>weights =</c> of gls and lme): Var(εᵢ) = σ² gᵢ², where gᵢ depends on a covariate
/// (or the fitted values), a stratum and the function's parameters. <see cref="Parse"/> reads nlme's calls
/// (<c>varIdent(form = ~ 1 | Sex)</c>, <c>varPower()</c>, <c>varExp(form = ~ age)</c>, <c>varConstPower(form = ~ x)</c>,
/// <c>varFixed(~ x)</c>, <c>varComb(varIdent(...), varPower(...))</c>). Immutable.
/// </summary>
public abstract class VarianceFunction
{
    private protected VarianceFunction(StructureFormula form) => Form = form;

    /// <summary>nlme's class name (<c>varIdent</c>, <c>varPower</c>, …).</summary>
    public abstract string ClassName { get; }

    /// <summary>The <c>form =</c> formula.</summary>
    public StructureFormula Form { get; }

    /// <summary>nlme's description printed after "Structure:" (<c>Different standard deviations per stratum</c>).</summary>
    public abstract string Description { get; }

    /// <summary>The function bound to the rows a fit uses.</summary>
    internal abstract BoundVariance Bind(Table data, IReadOnlyList<int> rows);

    /// <summary>Starting values (<c>value =</c>; varConstPower's <c>const =</c>, <c>power =</c>) on nlme's natural scale.</summary>
    public ParameterValues Values { get; init; } = ParameterValues.None;

    /// <summary>Values held fixed (<c>fixed =</c>) on nlme's natural scale: not estimated and not counted in the degrees of freedom.</summary>
    public ParameterValues FixedValues { get; init; } = ParameterValues.None;

    /// <summary>
    /// The starting values of parameters <paramref name="names"/> (strata or parameter names) on the unconstrained scale:
    /// a fixed value where given, else a given start, else nlme's default (0 on that scale); <paramref name="toScale"/>
    /// maps a natural value to it. A name that is none of the parameters is an error listing them.
    /// </summary>
    internal double[] StartValues(string[] names, Func<double, double> toScale, string what)
    {
        foreach (var given in new[] { Values, FixedValues })
        {
            foreach (var (name, _) in given.NamedValues)
                if (Array.IndexOf(names, name) < 0)
                    throw new ModelException($"{ClassName}(): no parameter '{name}'; its {what} are {string.Join(", ", names.Select(n => $"'{n}'"))}");
            if (given.Unnamed.Count > names.Length)
                throw new ModelException($"{ClassName}(): {given.Unnamed.Count} values for {names.Length} {what} ({string.Join(", ", names)})");
        }
        var start = new double[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            double? v = FixedValues.Of(i, names[i]) ?? Values.Of(i, names[i]);
            if (v is double x)
            {
                double t = toScale(x);
                if (!double.IsFinite(t)) throw new ModelException($"{ClassName}(): the value {x} of '{names[i]}' is out of range");
                start[i] = t;
            }
        }
        return start;
    }

    /// <summary>Which of the parameters <paramref name="names"/> are held fixed.</summary>
    internal bool[] FixedMask(string[] names) => names.Select((n, i) => FixedValues.Of(i, n) is not null).ToArray();

    /// <summary>Parses an nlme variance-function call; errors name the argument and its position.</summary>
    /// <exception cref="FormulaException">Unknown class, argument or a malformed formula.</exception>
    public static VarianceFunction Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var call = RCall.Parse(text);
        string fn = call.Function;
        string Form(string fallback)
        {
            var a = call.Named("form") ?? (fn == "varFixed" ? call.Arguments.FirstOrDefault(x => x.Name is null) : null);
            return a?.Value ?? fallback;
        }
        foreach (var a in call.Arguments)
        {
            string[] allowed = fn switch
            {
                "varComb" => [],
                "varFixed" => ["value"],
                _ => ["form", "value", "fixed"],
            };
            if (fn == "varComb" && a.Name is null) continue;
            if (fn == "varFixed" && a.Name is null) continue;
            if (a.Name is null || Array.IndexOf(allowed, a.Name) < 0 && !(a.Name is "const" or "power" && fn == "varConstPower"))
                throw new FormulaException(text, a.Position, $"argument '{a.Name ?? a.Value}' of {fn}() is not supported here; give form = ~ covariate | stratum");
        }
        StructureFormula Parsed(string f) => StructureFormula.Parse(f, fn + "()");
        // varFixed's value = is its formula; varComb's arguments are variance functions: neither has parameter values.
        ParameterValues Values(string name) => fn is not ("varFixed" or "varComb") && call.Named(name) is { } arg ? ParameterValues.Parse(text, arg) : ParameterValues.None;
        var value = Values("value");
        var fixedValues = Values("fixed");
        if (fn == "varConstPower")
        {
            // varConstPower(const = c, power = p, fixed = list(const = c)) names its two parameters.
            if (call.Named("value") is { } v) throw new FormulaException(text, v.Position, "varConstPower() takes const = and power = for its starting values, not value =");
            value = ParameterValues.Named([.. new[] { "const", "power" }.Where(n => call.Named(n) is not null).Select(n => (n, ParameterValues.Parse(text, call.Named(n)!).Single(text, call.Named(n)!)))]);
        }
        return fn switch
        {
            "varIdent" => new VarIdent(Parsed(Form("~1"))) { Values = value, FixedValues = fixedValues },
            "varPower" => new VarPower(Parsed(Form("~fitted(.)")), VarPower.Kind.Power) { Values = value, FixedValues = fixedValues },
            "varExp" => new VarPower(Parsed(Form("~fitted(.)")), VarPower.Kind.Exp) { Values = value, FixedValues = fixedValues },
            "varConstPower" => new VarPower(Parsed(Form("~fitted(.)")), VarPower.Kind.ConstPower) { Values = value, FixedValues = fixedValues },
            "varFixed" => new VarFixed(Parsed(call.Arguments.FirstOrDefault()?.Value ?? throw new FormulaException(text, text.Length, "varFixed() needs a formula, e.g. varFixed(~ x)"))),
            "varComb" => call.Arguments.Count >= 1
                ? new VarComb(call.Arguments.Select(a => Parse(a.Value)).ToArray())
                : throw new FormulaException(text, text.Length, "varComb() needs variance functions, e.g. varComb(varIdent(form = ~ 1 | g), varPower())"),
            "varExpon" => throw new FormulaException(text, 0, "unknown variance function varExpon(); did you mean varExp()?"),
            _ => throw new FormulaException(text, 0, $"unknown variance function {fn}(); nlme's are varIdent, varPower, varExp, varConstPower, varFixed and varComb"),
        };
    }

    /// <summary>The call as nlme's summary names it.</summary>
    public override string ToString() => $"{ClassName}(form = {Form.Text})";
}

/// <summary>A variance function bound to a fit's rows: log gᵢ as a function of the unconstrained parameters.</summary>
internal abstract class BoundVariance
{
    /// <summary>The number of estimated parameters.</summary>
    public abstract int ParameterCount { get; }

    /// <summary>True when gᵢ depends on the fitted values (<c>~ fitted(.)</c>).</summary>
    public abstract bool NeedsFitted { get; }

    /// <summary>nlme's starting values on the unconstrained scale (the given <c>value =</c> or <c>fixed =</c> ones where given).</summary>
    public abstract double[] Start();

    /// <summary>Which parameters are held at their start (nlme's <c>fixed =</c>); all false by default.</summary>
    public virtual bool[] Fixed() => new bool[ParameterCount];

    /// <summary>Adds log gᵢ for each row to <paramref name="logSd"/>.</summary>
    public abstract void AddLogSd(ReadOnlySpan<double> par, ReadOnlySpan<double> fitted, Span<double> logSd);

    /// <summary>The printed sections: description, formula, the parameters' names and values on nlme's natural scale.</summary>
    public abstract IReadOnlyList<(string Description, string Formula, string[] Names, double[] Values)> Sections(ReadOnlySpan<double> par);

    /// <summary>The parameters on nlme's natural scale with nlme's names (for JSON).</summary>
    public IEnumerable<(string Name, double Value)> Natural(ReadOnlySpan<double> par) =>
        Sections(par).SelectMany(s => s.Names.Zip(s.Values));
}

/// <summary>Strata of a variance function (the <c>| g</c> part): a code per row and the labels, in nlme's order.</summary>
internal static class Strata
{
    public static (int[] Codes, string[] Labels) Of(Table data, IReadOnlyList<int> rows, StructureFormula form, string what)
    {
        if (form.Groups.Count == 1 && data.TryGetColumn(form.Groups[0], out var c) && c is CategoricalColumn cat)
        {
            // Factor strata in the factor's level order (the levels that occur), as nlme's varIdent prints them.
            var used = new bool[cat.Levels.Count];
            foreach (int r in rows) if (!cat.IsMissing(r)) used[cat.Codes[r]] = true;
            var map = new int[used.Length];
            var labels = new List<string>();
            for (int l = 0; l < used.Length; l++)
            {
                map[l] = used[l] ? labels.Count : -1;
                if (used[l]) labels.Add(cat.Levels[l]);
            }
            var codes = new int[rows.Count];
            for (int i = 0; i < codes.Length; i++)
            {
                if (cat.IsMissing(rows[i])) throw new ModelException($"{what}: the stratum '{cat.Name}' is missing in row {rows[i] + 1}");
                codes[i] = map[cat.Codes[rows[i]]];
            }
            return (codes, [.. labels]);
        }
        if (form.Groups.Count == 1 && data.TryGetColumn(form.Groups[0], out var nc) && nc is NumericColumn num)
        {
            // Numeric strata sort as numbers (nlme makes a factor of them).
            var values = rows.Select(r => num[r]).ToArray();
            if (values.Any(double.IsNaN)) throw new ModelException($"{what}: the stratum '{nc.Name}' has missing values");
            var distinct = values.Distinct().Order().ToArray();
            var labels = distinct.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
            return (values.Select(v => Array.BinarySearch(distinct, v)).ToArray(), labels);
        }
        return StructureFormula.Keys(data, rows, form.Groups, what);
    }
}

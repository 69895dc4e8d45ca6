using MixedModels.Inference;
using MixedModels.Results;

namespace MixedModels.Reporting;

/// <summary>One row of a broom.mixed-style table.</summary>
/// <param name="Effect"><c>fixed</c> or <c>ran_pars</c>.</param>
/// <param name="Group">The random-effects term's unique name (<c>Subject</c>, <c>Subject.1</c>) or <c>Residual</c>; null for fixed effects.</param>
/// <param name="Term">The coefficient name, or <c>sd__(Intercept)</c>, <c>cor__(Intercept).Days</c>, <c>sd__Observation</c>.</param>
/// <param name="Estimate">The estimate (a standard deviation or correlation for ran_pars).</param>
/// <param name="StdError">Standard error (NaN for ran_pars, as broom.mixed).</param>
/// <param name="Statistic">t value (NaN for ran_pars).</param>
/// <param name="Df">Denominator df (NaN without a df method and for ran_pars).</param>
/// <param name="PValue">p-value (NaN without a df method and for ran_pars).</param>
/// <param name="ConfLow">Lower confidence limit (NaN when not computed).</param>
/// <param name="ConfHigh">Upper confidence limit (NaN when not computed).</param>
public sealed record TidyRow(string Effect, string? Group, string Term, double Estimate, double StdError, double Statistic,
    double Df, double PValue, double ConfLow, double ConfHigh);

/// <summary>Options of a tidy table.</summary>
public sealed record TidyOptions
{
    /// <summary>Denominator df of the fixed-effect tests (Satterthwaite by default, as lmerTest's fits in broom.mixed).</summary>
    public DdfMethod Ddf { get; init; } = DdfMethod.Satterthwaite;

    /// <summary>How intervals are computed (Wald by default).</summary>
    public IntervalMethod Intervals { get; init; } = IntervalMethod.Wald;

    /// <summary>The confidence level.</summary>
    public double Level { get; init; } = 0.95;

    /// <summary>Bootstrap replicates.</summary>
    public int Replicates { get; init; } = 1000;

    /// <summary>Bootstrap seed.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Hears each completed bootstrap replicate.</summary>
    public IProgress<int>? Progress { get; init; }
}

/// <summary>
/// broom.mixed's <c>tidy()</c> of a linear mixed model: the fixed effects (estimate, std.error, statistic, df,
/// p.value, conf.low, conf.high), then the random-effects parameters on the SD/correlation scale in broom.mixed's
/// order (per term: each column's SD followed by its correlations with the later columns) and the residual SD.
/// </summary>
public sealed class TidyTable
{
    private readonly bool _hasDf, _testsOnly;

    private TidyTable(IReadOnlyList<TidyRow> rows, bool hasDf = true, bool testsOnly = false)
    {
        Rows = rows;
        _hasDf = hasDf;
        _testsOnly = testsOnly;
    }

    /// <summary>The rows: fixed effects, then ran_pars.</summary>
    public IReadOnlyList<TidyRow> Rows { get; }

    /// <summary>The table in the given format; CSV and JSON carry broom.mixed's column names (std.error, or std_error in JSON).</summary>
    public string Format(TableFormat format) => ToResultTable().Write(format);

    /// <summary>The table as text.</summary>
    public override string ToString() => Format(TableFormat.Text);

    /// <summary>The rows as a result table, optionally only those of one effect kind.</summary>
    internal ResultTable ToResultTable(string? effect = null)
    {
        if (_testsOnly)
        {
            var t = new ResultTable("effect", "group", "term", "estimate", "std.error", "statistic");
            foreach (var r in Rows.Where(r => effect is null || r.Effect == effect)) t.Add(r.Effect, r.Group, r.Term, r.Estimate, r.StdError, r.Statistic);
            return t;
        }
        var table = _hasDf
            ? new ResultTable("effect", "group", "term", "estimate", "std.error", "statistic", "df", "p.value", "conf.low", "conf.high")
            : new ResultTable("effect", "group", "term", "estimate", "std.error", "statistic", "p.value", "conf.low", "conf.high");
        table.PValueColumns.Add("p.value");
        foreach (var r in Rows.Where(r => effect is null || r.Effect == effect))
        {
            if (_hasDf) table.Add(r.Effect, r.Group, r.Term, r.Estimate, r.StdError, r.Statistic, r.Df, r.PValue, r.ConfLow, r.ConfHigh);
            else table.Add(r.Effect, r.Group, r.Term, r.Estimate, r.StdError, r.Statistic, r.PValue, r.ConfLow, r.ConfHigh);
        }
        return table;
    }

    /// <summary>Builds the table (the df method's and the interval method's computations run here).</summary>
    public static TidyTable Create(LinearMixedModel model, TidyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new TidyOptions();
        var tests = FixedEffectTests.Compute(model, options.Ddf);
        Inference.Level.Check(options.Level, nameof(options.Level));
        var intervals = Intervals(model, options, tests);
        var rows = new List<TidyRow>();
        foreach (var t in tests)
        {
            var ci = intervals?.GetValueOrDefault(t.Name);
            rows.Add(new TidyRow("fixed", null, t.Name, t.Estimate, t.StandardError, t.TValue, t.Df, t.PValue, ci?.Lower ?? double.NaN, ci?.Upper ?? double.NaN));
        }
        foreach (var (group, term, parameter, estimate) in RandomParameters(model))
        {
            var ci = intervals?.GetValueOrDefault(parameter);
            rows.Add(new TidyRow("ran_pars", group, term, estimate, double.NaN, double.NaN, double.NaN, double.NaN, ci?.Lower ?? double.NaN, ci?.Upper ?? double.NaN));
        }
        return new TidyTable(rows.AsReadOnly());
    }

    /// <summary>
    /// broom.mixed's <c>tidy()</c> of a glmer fit: fixed effects with z statistics, normal p-values and Wald
    /// intervals (normal quantiles), then the random-effects SDs and correlations (and the residual SD for a family
    /// with a dispersion). With <paramref name="exponentiate"/> the estimates and limits are exp()'d — odds or rate
    /// ratios — and the standard errors multiplied by the exponentiated estimate (the delta method, as broom.mixed).
    /// </summary>
    public static TidyTable Create(GeneralizedLinearMixedModel model, bool exponentiate = false, double level = 0.95, bool intervals = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        Inference.Level.Check(level);
        return Create(model, exponentiate, intervals ? GlmmIntervals.Wald(model, level) : null);
    }

    /// <summary>
    /// The same table with given intervals (<see cref="GlmmProfile.Intervals"/> or <see cref="GlmmIntervals.Bootstrap"/>),
    /// matched to rows by lme4's parameter names; rows without one get none.
    /// </summary>
    public static TidyTable Create(GeneralizedLinearMixedModel model, bool exponentiate, IReadOnlyList<ConfidenceInterval>? intervals)
    {
        ArgumentNullException.ThrowIfNull(model);
        var byName = intervals?.ToDictionary(c => c.Parameter) ?? [];
        var rows = new List<TidyRow>();
        foreach (var f in model.FixedEffects)
        {
            var ci = byName.GetValueOrDefault(f.Name);
            double lo = ci?.Lower ?? double.NaN, hi = ci?.Upper ?? double.NaN;
            double est = f.Estimate, se = f.StandardError;
            if (exponentiate) { est = Math.Exp(est); se *= est; lo = Math.Exp(lo); hi = Math.Exp(hi); }
            rows.Add(new TidyRow("fixed", null, f.Name, est, se, f.TValue, double.NaN, Probability.TwoSidedNormal(f.TValue), lo, hi));
        }
        foreach (var (group, term, parameter, estimate) in RandomParameters(model, model.Sigma, model.Family.HasDispersion))
        {
            var ci = byName.GetValueOrDefault(parameter);
            rows.Add(new TidyRow("ran_pars", group, term, estimate, double.NaN, double.NaN, double.NaN, double.NaN, ci?.Lower ?? double.NaN, ci?.Upper ?? double.NaN));
        }
        return new TidyTable(rows.AsReadOnly(), hasDf: false);
    }

    /// <summary>
    /// broom.mixed's <c>tidy()</c> of an rlmer fit: the fixed effects with their robust standard errors and t values
    /// (no df, p-values or intervals, as broom.mixed gives none for rlmerMod), then the random-effects SDs and
    /// correlations and the residual SD.
    /// </summary>
    public static TidyTable Create(RobustLinearMixedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var rows = new List<TidyRow>();
        foreach (var f in model.FixedEffects)
            rows.Add(new TidyRow("fixed", null, f.Name, f.Estimate, f.StandardError, f.TValue, double.NaN, double.NaN, double.NaN, double.NaN));
        foreach (var (group, term, estimate) in RandomParameters(model.VarianceComponents, model.Sigma))
            rows.Add(new TidyRow("ran_pars", group, term, estimate, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN));
        return new TidyTable(rows.AsReadOnly(), hasDf: false, testsOnly: true);
    }

    /// <summary>
    /// broom.mixed's <c>tidy()</c> of an nlme lme fit: fixed effects with nlme's standard errors (for an ML fit, those
    /// of σ̂²·n/(n − p)), its denominator df (<see cref="NlmeDf"/>) and t-test p-values; the random-effects parameters with nlme's single-underscore names (<c>sd_(Intercept)</c>,
    /// <c>cor_x.(Intercept)</c>, <c>sd_Observation</c>), each term's correlations after the SD of their first column.
    /// </summary>
    public static TidyTable CreateNlme(LinearMixedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new TidyTable(NlmeRows(model, model.Design).ToList().AsReadOnly());
    }

    /// <summary>
    /// The fixed-effect and random-parameter rows of an nlme fit whose estimates are <paramref name="model"/>'s and whose
    /// data's own design (for nlme's df) is <paramref name="design"/>.
    /// </summary>
    private static IEnumerable<TidyRow> NlmeRows(LinearMixedModel model, Design.ModelDesign design)
    {
        var df = NlmeDf.Compute(design);
        double scale = Math.Sqrt(NlmeConventions.CovarianceScale(model));
        for (int i = 0; i < model.FixedEffects.Count; i++)
        {
            var f = model.FixedEffects[i];
            double se = f.StandardError * scale, t = f.Estimate / se;
            yield return new TidyRow("fixed", null, f.Name, f.Estimate, se, t, df[i], Probability.TwoSidedT(t, df[i]), double.NaN, double.NaN);
        }
        foreach (var c in model.VarianceComponents)
            for (int col = 0; col < c.Columns.Count; col++)
            {
                yield return new TidyRow("ran_pars", c.Group, $"sd_{c.Columns[col]}", c.StandardDeviations[col], double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
                for (int row = col + 1; row < c.Columns.Count; row++)
                    yield return new TidyRow("ran_pars", c.Group, $"cor_{c.Columns[row]}.{c.Columns[col]}", c.Correlation(row, col), double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
            }
        yield return new TidyRow("ran_pars", "Residual", "sd_Observation", model.Sigma, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
    }

    /// <summary>
    /// broom.mixed's <c>tidy()</c> of an lme or gls fit with a variance function or correlation structure: the rows
    /// of <see cref="CreateNlme(LinearMixedModel)"/> (nlme's df from the data's own design), then broom.mixed's
    /// <c>var_model</c> rows — each variance-function parameter on nlme's scale (varIdent's reference stratum as 1),
    /// grouped by the function and its formula (<c>varPower(fitted(.))</c>, <c>varIdent(1 | Sex)</c>).
    /// </summary>
    public static TidyTable CreateNlme(NlmeModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var rows = NlmeRows(model.Transformed, model.Design).ToList();
        if (model.Options.Weights is { } w)
        {
            string group = VarianceGroup(w);
            foreach (var (name, value) in model.VarianceParameters())
                rows.Add(new TidyRow("var_model", group, name, value, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN));
        }
        return new TidyTable(rows.AsReadOnly());
    }

    /// <summary>broom.mixed's group of a variance function's rows: its class and its formula without the tilde, as R deparses it.</summary>
    private static string VarianceGroup(Structures.VarianceFunction w)
    {
        string form = w.Form.Text.Trim().TrimStart('~').Trim();
        form = System.Text.RegularExpressions.Regex.Replace(form, @"\s*([|*+])\s*", " $1 ");
        return $"{w.ClassName}({form})";
    }

    /// <summary>The SDs and correlations of variance components in broom.mixed's order and names, the residual SD last.</summary>
    internal static IEnumerable<(string Group, string Term, double Estimate)> RandomParameters(IReadOnlyList<VarianceComponent> components, double sigma)
    {
        foreach (var c in components)
            for (int col = 0; col < c.Columns.Count; col++)
                for (int row = col; row < c.Columns.Count; row++)
                    yield return (c.Name, row == col ? $"sd__{c.Columns[col]}" : $"cor__{c.Columns[col]}.{c.Columns[row]}",
                        row == col ? c.StandardDeviations[col] : c.Correlation(row, col));
        yield return ("Residual", "sd__Observation", sigma);
    }

    private static Dictionary<string, ConfidenceInterval>? Intervals(LinearMixedModel model, TidyOptions options, IReadOnlyList<TTest> tests)
    {
        var list = options.Intervals switch
        {
            IntervalMethod.None => null,
            // broom.mixed's Wald intervals use t quantiles with the tests' df (normal quantiles without a df method).
            IntervalMethod.Wald => ConfidenceIntervals.Wald(tests, options.Level),
            _ => ConfidenceIntervals.Compute(model, options.Intervals, options.Level, options.Ddf, options.Replicates, options.Seed, options.Progress),
        };
        return list?.ToDictionary(c => c.Parameter);
    }

    /// <summary>
    /// The random-effects parameters in broom.mixed's order with their (group, term) names, lme4's profile name
    /// (<c>sd_(Intercept)|Subject</c>) and estimate; the residual SD last.
    /// </summary>
    internal static IEnumerable<(string Group, string Term, string Parameter, double Estimate)> RandomParameters(LinearMixedModel model) =>
        RandomParameters(model, model.Sigma, residual: true);

    /// <summary>The random-effects parameters of any model at scale σ; the residual SD last when <paramref name="residual"/>.</summary>
    internal static IEnumerable<(string Group, string Term, string Parameter, double Estimate)> RandomParameters(IMixedModel model, double sigma, bool residual)
    {
        var names = VarianceScale.Names(model.Design);
        var values = VarianceScale.FromTheta(model.Design, model.Theta, sigma);
        int k = 0;
        foreach (var c in model.VarianceComponents)
            for (int col = 0; col < c.Columns.Count; col++)
                for (int row = col; row < c.Columns.Count; row++, k++)
                    yield return (c.Name, row == col ? $"sd__{c.Columns[col]}" : $"cor__{c.Columns[col]}.{c.Columns[row]}", names[k], values[k]);
        if (residual) yield return ("Residual", "sd__Observation", names[k], values[k]);
    }
}

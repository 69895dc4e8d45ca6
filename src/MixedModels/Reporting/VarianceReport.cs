using System.Text;
using System.Text.Json;
using MixedModels.Inference;
using MixedModels.Results;

namespace MixedModels.Reporting;

/// <summary>
/// The variance components of a fit with their standard errors (observed information), the ICC and Nakagawa R²,
/// and — against a base model — the proportional reduction of each variance component: the numbers multilevel
/// textbooks report ("schools account for 18% of the variance; adding SES explained 50% of the intercept variance").
/// </summary>
public sealed class VarianceReport
{
    private VarianceReport(IMixedModel model, IReadOnlyList<VarianceParameter> parameters, VarianceExplained explained,
        IReadOnlyList<VarianceReductionRow>? reduction, IMixedModel? baseModel)
    {
        Model = model;
        Parameters = parameters;
        Explained = explained;
        Reduction = reduction;
        BaseModel = baseModel;
    }

    /// <summary>The model described.</summary>
    public IMixedModel Model { get; }

    /// <summary>Variances and covariances with standard errors, in lme4's <c>as.data.frame(VarCorr)</c> order.</summary>
    public IReadOnlyList<VarianceParameter> Parameters { get; }

    /// <summary>R² and ICC.</summary>
    public VarianceExplained Explained { get; }

    /// <summary>The reduction of each variance component relative to the base model (null without one).</summary>
    public IReadOnlyList<VarianceReductionRow>? Reduction { get; }

    /// <summary>The base model, when given.</summary>
    public IMixedModel? BaseModel { get; }

    /// <summary>Computes the report; <paramref name="baseModel"/>, when given, is the model the reduction is measured from.</summary>
    public static VarianceReport Create(LinearMixedModel model, LinearMixedModel? baseModel = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Design.RandomTerms.Count == 0)
            throw new ModelException("the model has no random-effects term, so there are no variance components to report; add a term such as (1 | group)");
        return new VarianceReport(model, VarianceComponentErrors.Compute(model), VarianceExplained.Compute(model),
            baseModel is null ? null : VarianceReduction.Compute(baseModel, model), baseModel);
    }

    /// <summary>
    /// The report of a generalized model: its variance components on the link scale (standard errors are not
    /// computed for them: NaN), and R² and ICC with the distribution-specific residual variance.
    /// </summary>
    public static VarianceReport Create(GeneralizedLinearMixedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Design.RandomTerms.Count == 0)
            throw new ModelException("the model has no random-effects term, so there are no variance components to report; add a term such as (1 | group)");
        var parameters = new List<VarianceParameter>();
        foreach (var c in model.VarianceComponents)
        {
            for (int a = 0; a < c.Columns.Count; a++) parameters.Add(new VarianceParameter(c.Name, c.Columns[a], null, c.Variance(a), double.NaN));
            for (int a = 0; a < c.Columns.Count; a++)
                for (int b = a + 1; b < c.Columns.Count; b++) parameters.Add(new VarianceParameter(c.Name, c.Columns[a], c.Columns[b], c.Covariance(a, b), double.NaN));
        }
        return new VarianceReport(model, parameters.AsReadOnly(), VarianceExplained.Compute(model), null, null);
    }

    internal ResultTable ParameterTable()
    {
        var t = new ResultTable("group", "term1", "term2", "estimate", "std.error");
        foreach (var p in Parameters) t.Add(p.Group, p.Term1, p.Term2, p.Estimate, p.StandardError);
        return t;
    }

    internal ResultTable ExplainedTable()
    {
        var e = Explained;
        var summary = new ResultTable("quantity", "value");
        summary.Add("fixed-effects variance", e.FixedVariance);
        summary.Add("random-effects variance", e.RandomVariance);
        summary.Add("residual variance", e.ResidualVariance);
        summary.Add("marginal R2", e.MarginalR2);
        summary.Add("conditional R2", e.ConditionalR2);
        summary.Add("adjusted ICC", e.AdjustedIcc);
        summary.Add("conditional ICC", e.ConditionalIcc);
        return summary;
    }

    internal ResultTable GroupTable()
    {
        var t = new ResultTable("group", "variance", "icc.adjusted", "icc.conditional");
        foreach (var g in Explained.Groups) t.Add(g.Group, g.Variance, g.AdjustedIcc, g.ConditionalIcc);
        return t;
    }

    internal ResultTable? ReductionTable()
    {
        if (Reduction is null) return null;
        var t = new ResultTable("group", "term", "base.variance", "variance", "proportion.explained");
        foreach (var r in Reduction) t.Add(r.Group, r.Term, r.BaseVariance, r.ExtendedVariance, r.ProportionExplained);
        return t;
    }

    /// <summary>
    /// The report as text or Markdown (sections with tables), JSON (an object with <c>variance_components</c>,
    /// <c>r2</c>, <c>icc</c> with <c>groups</c>, and <c>reduction</c>), or CSV (one long table: quantity, group,
    /// term1, term2, value, std_error).
    /// </summary>
    public string Format(TableFormat format) => format switch
    {
        TableFormat.Json => Json(),
        TableFormat.Csv => Csv(),
        _ => Sections(format, t => t.Write(format)),
    };

    /// <summary>The text or Markdown sections with each table drawn by <paramref name="render"/> (the CLI draws them with Spectre.Console).</summary>
    internal string Sections(TableFormat format, Func<ResultTable, string> render)
    {
        bool md = format == TableFormat.Markdown;
        var sb = new StringBuilder();
        void Heading(string h) => sb.Append(md ? "### " + h + "\n\n" : h + ":\n");
        void Table(ResultTable t) => sb.Append(render(t)).Append('\n');
        Heading(Model is GeneralizedLinearMixedModel ? "Variance components (on the link scale; standard errors are not computed for generalized models)" : "Variance components (standard errors from the observed information)");
        Table(ParameterTable());
        Heading("Variance explained (Nakagawa & Schielzeth)");
        Table(ExplainedTable());
        Heading("By grouping factor");
        Table(GroupTable());
        if (ReductionTable() is { } reduction)
        {
            Heading($"Proportional reduction in variance from the base model {BaseModel!.Formula}");
            Table(reduction);
        }
        return sb.ToString();
    }

    private string Csv()
    {
        var t = new ResultTable("quantity", "group", "term1", "term2", "value", "std.error");
        foreach (var p in Parameters)
            t.Add(p.Group == "Residual" ? "residual_variance" : p.Term2 is null ? "variance" : "covariance", p.Group, p.Term1, p.Term2, p.Estimate, p.StandardError);
        var e = Explained;
        t.Add("r2_marginal", null, null, null, e.MarginalR2, null);
        t.Add("r2_conditional", null, null, null, e.ConditionalR2, null);
        t.Add("icc_adjusted", null, null, null, e.AdjustedIcc, null);
        t.Add("icc_conditional", null, null, null, e.ConditionalIcc, null);
        foreach (var g in e.Groups)
        {
            t.Add("icc_adjusted", g.Group, null, null, g.AdjustedIcc, null);
            t.Add("icc_conditional", g.Group, null, null, g.ConditionalIcc, null);
        }
        foreach (var r in Reduction ?? [])
            t.Add("proportion_explained", r.Group, r.Term, null, r.ProportionExplained, null);
        return t.ToCsv();
    }

    private string Json()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("formula", Model.Formula.ToString());
            ParameterTable().WriteJsonArray(w, "variance_components");
            var e = Explained;
            w.WriteStartObject("variances");
            JsonReport.Number(w, "fixed", e.FixedVariance);
            JsonReport.Number(w, "random", e.RandomVariance);
            JsonReport.Number(w, "residual", e.ResidualVariance);
            w.WriteEndObject();
            w.WriteStartObject("r2");
            JsonReport.Number(w, "marginal", e.MarginalR2);
            JsonReport.Number(w, "conditional", e.ConditionalR2);
            w.WriteEndObject();
            w.WriteStartObject("icc");
            JsonReport.Number(w, "adjusted", e.AdjustedIcc);
            JsonReport.Number(w, "conditional", e.ConditionalIcc);
            GroupTable().WriteJsonArray(w, "groups");
            w.WriteEndObject();
            if (Reduction is not null)
            {
                w.WriteString("base_formula", BaseModel!.Formula.ToString());
                ReductionTable()!.WriteJsonArray(w, "reduction");
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}

using System.Text;
using System.Text.Json;
using MixedModels.Inference;
using MixedModels.Results;

namespace MixedModels.Reporting;

/// <summary>
/// The JSON form of a fit (stable, snake_case; documented in the README). Non-finite numbers are written as null.
/// </summary>
internal static class JsonReport
{
    public static string Write(LinearMixedModel m, DdfMethod ddf, bool indented) => Document(indented, w => WriteModel(w, m, ddf));

    /// <summary>One JSON object whose fields <paramref name="body"/> writes (UTF-8, non-ASCII text unescaped).</summary>
    internal static string Document(bool indented, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the fields of a fit into the current JSON object.</summary>
    internal static void WriteModel(Utf8JsonWriter w, LinearMixedModel m, DdfMethod ddf)
    {
        IReadOnlyList<TTest>? tests = m.FixedEffects.Count == 0 || ddf == DdfMethod.None ? null : FixedEffectTests.Compute(m, ddf);
        WriteHeader(w, m, m.Reml ? "REML" : "ML");

        w.WriteStartArray("fixef");
        for (int i = 0; i < m.FixedEffects.Count; i++)
        {
            var f = m.FixedEffects[i];
            w.WriteStartObject();
            w.WriteString("term", f.Name);
            Number(w, "estimate", f.Estimate);
            Number(w, "std_error", tests is null ? f.StandardError : tests[i].StandardError);
            Number(w, "statistic", tests is null ? f.TValue : tests[i].TValue);
            if (tests is not null)
            {
                Number(w, "df", tests[i].Df);
                Number(w, "p_value", tests[i].PValue);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("ddf_method", tests is null ? "none" : ddf == DdfMethod.KenwardRoger ? "Kenward-Roger" : "Satterthwaite");
        WriteCovariances(w, m);
        Number(w, "sigma", m.Sigma);

        w.WriteStartArray("ran_pars");
        foreach (var (group, term, _, estimate) in TidyTable.RandomParameters(m)) RanPar(w, group, term, estimate);
        w.WriteEndArray();

        Number(w, "loglik", m.LogLikelihood);
        Number(w, "aic", m.Aic);
        Number(w, "bic", m.Bic);
        Number(w, "deviance", m.DevianceMl);
        Number(w, "objective", m.Objective);
        WriteStatus(w, m);
        w.WriteStartArray("scaled_residual_quantiles");
        foreach (double q in m.ScaledResidualQuantiles()) Value(w, q);
        w.WriteEndArray();
        WriteRanef(w, m);
    }

    /// <summary>formula, data, method, nobs, dropped_rows, ngroups.</summary>
    internal static void WriteHeader(Utf8JsonWriter w, IMixedModel m, string method) => WriteHeader(w, m.Design, method);

    /// <summary>formula, data, method, nobs, dropped_rows and ngroups of a fit of <paramref name="design"/>.</summary>
    internal static void WriteHeader(Utf8JsonWriter w, Design.ModelDesign design, string method)
    {
        w.WriteString("formula", design.Formula.ToString());
        w.WriteString("data", design.Frame.DataName);
        w.WriteString("method", method);
        w.WriteNumber("nobs", design.Observations);
        w.WriteNumber("dropped_rows", design.DroppedRows);
        if (design.Aggregated is { } a) w.WriteString("aggregated_in", a.Source);
        w.WriteStartObject("ngroups");
        foreach (var (name, levels) in design.GroupingFactors()) w.WriteNumber(name, levels);
        w.WriteEndObject();
    }

    /// <summary>vcov (rows in fixef order) and theta.</summary>
    internal static void WriteCovariances(Utf8JsonWriter w, IMixedModel m) => WriteCovariances(w, m.FixedEffectsCovariance(), m.Theta);

    /// <summary>vcov (rows in fixef order) and theta of any fit.</summary>
    internal static void WriteCovariances(Utf8JsonWriter w, double[,] vcov, IReadOnlyList<double> theta)
    {
        w.WriteStartArray("vcov");
        for (int i = 0; i < vcov.GetLength(0); i++)
        {
            w.WriteStartArray();
            for (int j = 0; j < vcov.GetLength(1); j++) Value(w, vcov[i, j]);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteStartArray("theta");
        foreach (double t in theta) Value(w, t);
        w.WriteEndArray();
    }

    /// <summary>The fixef array: term, estimate, std_error, statistic, and a p_value when <paramref name="pValue"/> gives one.</summary>
    internal static void WriteFixedEffects(Utf8JsonWriter w, IEnumerable<FixedEffect> fixedEffects, Func<FixedEffect, double>? pValue = null)
    {
        w.WriteStartArray("fixef");
        foreach (var f in fixedEffects)
        {
            w.WriteStartObject();
            w.WriteString("term", f.Name);
            Number(w, "estimate", f.Estimate);
            Number(w, "std_error", f.StandardError);
            Number(w, "statistic", f.TValue);
            if (pValue is not null) Number(w, "p_value", pValue(f));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>npar, df_resid, singular, converged, evaluations, optimizer, gradients, warnings.</summary>
    internal static void WriteStatus(Utf8JsonWriter w, IMixedModel m)
    {
        w.WriteNumber("npar", m.ParameterCount);
        w.WriteNumber("df_resid", m.ResidualDf);
        w.WriteBoolean("singular", m.Singular);
        w.WriteBoolean("converged", m.Converged);
        w.WriteNumber("evaluations", m.Optimization.Evaluations);
        w.WriteString("optimizer", m.Optimization.Method == Estimation.OptimizerMethod.QuasiNewton ? "quasi-newton" : "bobyqa");
        w.WriteNumber("gradients", m.Optimization.Gradients);
        w.WriteStartArray("warnings");
        foreach (string s in m.Messages.Concat(m.Warnings)) w.WriteStringValue(s);
        w.WriteEndArray();
    }

    /// <summary>The conditional modes and conditional SDs.</summary>
    internal static void WriteRanef(Utf8JsonWriter w, IMixedModel m)
    {
        w.WriteStartArray("ranef");
        foreach (var table in m.RandomEffects())
            for (int l = 0; l < table.Levels.Count; l++)
                for (int c = 0; c < table.Columns.Count; c++)
                {
                    w.WriteStartObject();
                    w.WriteString("group", table.Group);
                    w.WriteString("level", table.Levels[l]);
                    w.WriteString("term", table.Columns[c]);
                    Number(w, "estimate", table.Mode(l, c));
                    Number(w, "cond_sd", table.ConditionalSd(l, c));
                    w.WriteEndObject();
                }
        w.WriteEndArray();
    }

    internal static void RanPar(Utf8JsonWriter w, string group, string term, double estimate)
    {
        w.WriteStartObject();
        w.WriteString("group", group);
        w.WriteString("term", term);
        Number(w, "estimate", estimate);
        w.WriteEndObject();
    }

    internal static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    internal static void Value(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue();
    }
}

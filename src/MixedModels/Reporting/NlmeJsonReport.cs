using MixedModels.Inference;
using MixedModels.Results;

namespace MixedModels.Reporting;

/// <summary>
/// The JSON form of a gls or lme fit with nlme's structures: the fixed effects with nlme's standard errors, df and
/// p-values, loglik, aic, bic, sigma, the random effects' parameters, and the structures' parameters by nlme's names
/// on its natural scale (<c>correlation_parameters</c>, <c>variance_parameters</c>).
/// </summary>
internal static class NlmeJsonReport
{
    public static string Write(NlmeModel m, string function, bool indented) => JsonReport.Document(indented, w =>
    {
        w.WriteString("model", function);
        JsonReport.WriteHeader(w, m.Design, m.Reml ? "REML" : "ML");
        int p = m.FixedEffects.Count;
        double scale = Math.Sqrt(NlmeConventions.CovarianceScale(m.Transformed));
        var df = NlmeDf.Compute(m.Design);
        w.WriteStartArray("fixef");
        for (int i = 0; i < p; i++)
        {
            var f = m.FixedEffects[i];
            double se = f.StandardError * scale, t = f.Estimate / se;
            w.WriteStartObject();
            w.WriteString("term", f.Name);
            JsonReport.Number(w, "estimate", f.Estimate);
            JsonReport.Number(w, "std_error", se);
            JsonReport.Number(w, "df", df[i]);
            JsonReport.Number(w, "statistic", t);
            JsonReport.Number(w, "p_value", Probability.TwoSidedT(t, df[i]));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        JsonReport.Number(w, "loglik", m.LogLikelihood);
        JsonReport.Number(w, "aic", m.Aic);
        JsonReport.Number(w, "bic", m.Bic);
        w.WriteNumber("npar", m.ParameterCount);
        JsonReport.Number(w, "sigma", m.Sigma);
        w.WriteStartArray("ran_pars");
        foreach (var (group, term, estimate) in TidyTable.RandomParameters(m.Transformed.VarianceComponents, m.Sigma)) JsonReport.RanPar(w, group, term, estimate);
        w.WriteEndArray();
        if (m.Options.Correlation is { } cor) w.WriteString("correlation_structure", cor.ToString());
        w.WriteStartObject("correlation_parameters");
        foreach (var (name, value) in m.CorrelationParameters()) JsonReport.Number(w, name, value);
        w.WriteEndObject();
        if (m.Options.Weights is { } v) w.WriteString("variance_function", v.ToString());
        w.WriteStartObject("variance_parameters");
        foreach (var (name, value) in m.VarianceParameters()) JsonReport.Number(w, name, value);
        w.WriteEndObject();
        w.WriteBoolean("converged", m.Optimization.Converged && m.Warnings.Count == 0);
        w.WriteNumber("evaluations", m.Optimization.Evaluations);
        w.WriteStartArray("warnings");
        foreach (string s in m.Warnings) w.WriteStringValue(s);
        w.WriteEndArray();
    });
}

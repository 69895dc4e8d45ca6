using MixedModels.Inference;
using MixedModels.Results;

namespace MixedModels.Reporting;

/// <summary>The JSON form of a glmer fit: the fields of a linear mixed model's JSON that apply, plus family, link and nagq.</summary>
internal static class GlmmJsonReport
{
    public static string Write(GeneralizedLinearMixedModel m, bool indented) => JsonReport.Document(indented, w =>
    {
        JsonReport.WriteHeader(w, m, m.Nagq > 1 ? "AGQ" : "Laplace");
        w.WriteString("family", m.Family.Name);
        w.WriteString("link", m.Family.Link.Name);
        w.WriteNumber("nagq", m.Nagq);
        JsonReport.WriteFixedEffects(w, m.FixedEffects, f => Probability.TwoSidedNormal(f.TValue));
        JsonReport.WriteCovariances(w, m);
        JsonReport.Number(w, "sigma", m.Sigma);
        w.WriteStartArray("ran_pars");
        foreach (var (group, term, _, estimate) in TidyTable.RandomParameters(m, m.Sigma, m.Family.HasDispersion)) JsonReport.RanPar(w, group, term, estimate);
        w.WriteEndArray();
        JsonReport.Number(w, "loglik", m.LogLikelihood);
        JsonReport.Number(w, "aic", m.Aic);
        JsonReport.Number(w, "bic", m.Bic);
        JsonReport.Number(w, "deviance", m.MinusTwoLogLikelihood);
        JsonReport.Number(w, "deviance_residuals", m.Deviance);
        JsonReport.Number(w, "overdispersion_ratio", m.OverdispersionRatio());
        JsonReport.WriteStatus(w, m);
        w.WriteStartArray("scaled_residual_quantiles");
        foreach (double q in m.ScaledResidualQuantiles()) JsonReport.Value(w, q);
        w.WriteEndArray();
        JsonReport.WriteRanef(w, m);
    });
}

using System.Text.Json;
using MixedModels.Results;

namespace MixedModels.Reporting;

/// <summary>
/// The JSON form of an rlmer fit: the call's parts, fixed effects with robust standard errors and t values, vcov,
/// θ, σ, the random-effects parameters, the ψ-functions, convergence, and the robustness weights (their summaries as
/// robustlmm prints them, and every weight).
/// </summary>
internal static class RobustJsonReport
{
    public static string Write(RobustLinearMixedModel m, bool indented) => JsonReport.Document(indented, w =>
    {
        w.WriteString("model", "rlmer");
        JsonReport.WriteHeader(w, m.Design, RobustSummaryWriter.MethodName(m.Method));
        JsonReport.WriteFixedEffects(w, m.FixedEffects);
        JsonReport.WriteCovariances(w, m.FixedEffectsCovariance(), m.Theta);
        JsonReport.Number(w, "sigma", m.Sigma);
        w.WriteStartArray("ran_pars");
        foreach (var (group, term, estimate) in TidyTable.RandomParameters(m.VarianceComponents, m.Sigma)) JsonReport.RanPar(w, group, term, estimate);
        w.WriteEndArray();
        w.WriteStartObject("rho");
        w.WriteString("residuals", m.RhoE.ToString());
        w.WriteString("residual_scale", m.RhoSigmaE.ToString());
        w.WriteStartArray("random_effects");
        foreach (var f in m.TermFunctions)
        {
            w.WriteStartObject();
            w.WriteString("group", f.Group);
            w.WriteString("effects", f.Effects.ToString());
            w.WriteString("variance", f.Scale.ToString());
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteBoolean("converged", m.Converged);
        w.WriteNumber("iterations", m.Iterations);
        w.WriteStartArray("warnings");
        foreach (string s in m.Warnings) w.WriteStringValue(s);
        w.WriteEndArray();
        w.WriteStartArray("scaled_residual_quantiles");
        foreach (double q in m.ScaledResidualQuantiles()) JsonReport.Value(w, q);
        w.WriteEndArray();
        w.WriteStartObject("robustness_weights");
        Weights(w, "residuals", m.ResidualWeights);
        Weights(w, "random_effects", m.RandomEffectWeights);
        w.WriteEndObject();
    });

    /// <summary>A set of weights: how many, how many ≈ 1 (within 1e-3, robustbase's rule), the summary of all, and the weights.</summary>
    private static void Weights(Utf8JsonWriter w, string name, IReadOnlyList<double> weights)
    {
        w.WriteStartObject(name);
        w.WriteNumber("n", weights.Count);
        w.WriteNumber("near_one", weights.Count(x => Math.Abs(x - 1) < 1e-3));
        var q = Statistics.Quantiles(weights, [0, 0.25, 0.5, 0.75, 1]);
        w.WriteStartObject("summary");
        JsonReport.Number(w, "min", q[0]);
        JsonReport.Number(w, "q1", q[1]);
        JsonReport.Number(w, "median", q[2]);
        JsonReport.Number(w, "mean", weights.Count == 0 ? double.NaN : weights.Average());
        JsonReport.Number(w, "q3", q[3]);
        JsonReport.Number(w, "max", q[4]);
        w.WriteEndObject();
        w.WriteStartArray("values");
        foreach (double x in weights) JsonReport.Value(w, x);
        w.WriteEndArray();
        w.WriteEndObject();
    }
}

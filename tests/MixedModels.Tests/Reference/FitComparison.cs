using System.Text.Json;
using MixedModels.Results;

namespace MixedModels.Tests.Reference;

/// <summary>
/// Compares a fit with an lme4 reference record at the tolerances of the reference README (objective,
/// log-likelihood, AIC, BIC 1e-6 relative; fixed effects 1e-5; standard errors, σ and standard deviations 1e-4;
/// correlations and conditional modes 1e-3; names, nobs, ngroups, singular exact) and lists every disagreement.
/// </summary>
public static class FitComparison
{
    public static List<string> Compare(LinearMixedModel m, ReferenceRecord r)
    {
        var errors = new List<string>();
        void Rel(string what, double ours, double theirs, double tol, double scale = 0)
        {
            double denom = Math.Max(Math.Abs(theirs), scale);
            if (denom == 0) denom = 1;
            double err = Math.Abs(ours - theirs) / denom;
            if (!(err <= tol)) errors.Add($"{what}: ours {ours:R}, lme4 {theirs:R} (relative error {err:E2} > {tol:E0})");
        }
        void Abs(string what, double ours, double theirs, double tol)
        {
            if (double.IsNaN(theirs) && double.IsNaN(ours)) return;
            if (!(Math.Abs(ours - theirs) <= tol)) errors.Add($"{what}: ours {ours:R}, lme4 {theirs:R} (difference > {tol:E0})");
        }

        Rel("objective", m.Objective, r.Number("objective"), 1e-6);
        Rel("logLik", m.LogLikelihood, r.Number("loglik"), 1e-6);
        Rel("AIC", m.Aic, r.Number("aic"), 1e-6);
        Rel("BIC", m.Bic, r.Number("bic"), 1e-6);
        if (r.Root.TryGetProperty("deviance_ml", out var dml)) Rel("ML deviance", m.DevianceMl, dml.GetDouble(), 1e-6);
        if (m.Observations != (int)r.Number("nobs")) errors.Add($"nobs: ours {m.Observations}, lme4 {r.Number("nobs")}");
        if (r.Root.TryGetProperty("npar", out var npar) && m.ParameterCount != npar.GetInt32()) errors.Add($"npar: ours {m.ParameterCount}, lme4 {npar}");
        var ngroups = r.Root.GetProperty("ngroups").EnumerateObject().Select(p => (p.Name, p.Value.GetInt32())).ToList();
        if (!ngroups.SequenceEqual(m.Groups)) errors.Add($"ngroups: ours {string.Join("; ", m.Groups)}, lme4 {string.Join("; ", ngroups)}");
        if (m.Singular != r.Root.GetProperty("singular").GetBoolean()) errors.Add($"singular: ours {m.Singular}, lme4 {!m.Singular}");

        var fixef = r.Root.GetProperty("fixef");
        var names = ReferenceRecord.Strings(fixef.GetProperty("names"));
        var est = ReferenceRecord.Numbers(fixef.GetProperty("estimate"));
        var se = ReferenceRecord.Numbers(fixef.GetProperty("se"));
        if (!names.SequenceEqual(m.FixedEffects.Select(f => f.Name)))
            errors.Add($"fixed-effect names: ours [{string.Join(", ", m.FixedEffects.Select(f => f.Name))}], lme4 [{string.Join(", ", names)}]");
        else
            for (int i = 0; i < names.Length; i++)
            {
                Rel($"beta[{names[i]}]", m.FixedEffects[i].Estimate, est[i], 1e-5, se[i]);
                Rel($"se[{names[i]}]", m.FixedEffects[i].StandardError, se[i], 1e-4);
            }
        Rel("sigma", m.Sigma, r.Number("sigma"), 1e-4);

        var theta = r.Numbers("theta");
        if (theta.Length != m.Theta.Count) errors.Add($"theta length: ours {m.Theta.Count}, lme4 {theta.Length}");
        else for (int i = 0; i < theta.Length; i++) Rel($"theta[{i}]", m.Theta[i], theta[i], 1e-3, 0.05);

        CompareVarCorr(m, r, errors, Rel, Abs);
        CompareRanef(m, r, errors);

        var q = r.Numbers("scaled_residual_quantiles");
        for (int i = 0; i < q.Length; i++) Abs($"scaled residual quantile {i}", m.ScaledResidualQuantiles()[i], q[i], 1e-3);
        var fh = r.Numbers("fitted_head");
        var rh = r.Numbers("residual_head");
        double fscale = fh.Max(Math.Abs);
        for (int i = 0; i < fh.Length; i++)
        {
            Rel($"fitted[{i}]", m.Fitted[i], fh[i], 1e-5, fscale);
            Abs($"residual[{i}]", m.Residuals[i], rh[i], 1e-3 * m.Sigma);
        }
        return errors;
    }

    private static void CompareVarCorr(LinearMixedModel m, ReferenceRecord r, List<string> errors,
        Action<string, double, double, double, double> rel, Action<string, double, double, double> abs)
    {
        foreach (var row in r.Root.GetProperty("varcorr").EnumerateArray())
        {
            string group = row.GetProperty("group").GetString()!;
            double sdcor = row.GetProperty("sdcor").GetDouble();
            if (group == "Residual") { rel("Residual sd", m.Sigma, sdcor, 1e-4, 0); continue; }
            var comp = m.VarianceComponents.FirstOrDefault(c => c.Name == group);
            if (comp is null) { errors.Add($"varcorr: no component named {group}"); continue; }
            string v1 = row.GetProperty("var1").GetString()!;
            int i = comp.Columns.ToList().IndexOf(v1);
            if (row.GetProperty("var2").ValueKind == JsonValueKind.Null)
            {
                double scale = comp.StandardDeviations.Max();
                rel($"sd[{group}:{v1}]", comp.StandardDeviations[i], sdcor, 1e-4, 1e-3 * scale);
            }
            else
            {
                string v2 = row.GetProperty("var2").GetString()!;
                int j = comp.Columns.ToList().IndexOf(v2);
                abs($"cor[{group}:{v1},{v2}]", comp.Correlation(i, j), sdcor, 1e-3);
            }
        }
    }

    private static void CompareRanef(LinearMixedModel m, ReferenceRecord r, List<string> errors)
    {
        var tables = m.RandomEffects();
        foreach (var g in r.Root.GetProperty("ranef").EnumerateArray())
        {
            string group = g.GetProperty("group").GetString()!;
            var levels = ReferenceRecord.Strings(g.GetProperty("levels"));
            var columns = ReferenceRecord.Strings(g.GetProperty("columns"));
            var values = g.GetProperty("values").EnumerateArray().ToArray();
            var condsd = g.GetProperty("condsd").EnumerateArray().ToArray();
            for (int c = 0; c < columns.Length; c++)
            {
                var table = tables.FirstOrDefault(t => t.Group == group && t.Columns.Contains(columns[c]));
                if (table is null) { errors.Add($"ranef: no term for {group} / {columns[c]}"); continue; }
                if (!table.Levels.SequenceEqual(levels)) { errors.Add($"ranef levels of {group} differ"); continue; }
                int col = table.Columns.ToList().IndexOf(columns[c]);
                var v = ReferenceRecord.Numbers(values[c]);
                var s = ReferenceRecord.Numbers(condsd[c]);
                double scale = s.Max();
                for (int l = 0; l < levels.Length; l++)
                {
                    double err = Math.Abs(table.Mode(l, col) - v[l]) / Math.Max(Math.Abs(v[l]), Math.Max(s[l], 1e-3 * scale));
                    if (table.Mode(l, col) != v[l] && !(err <= 1e-3)) errors.Add($"ranef[{group},{levels[l]},{columns[c]}]: ours {table.Mode(l, col):R}, lme4 {v[l]:R}");
                    double serr = Math.Abs(table.ConditionalSd(l, col) - s[l]) / Math.Max(s[l], 1e-3 * scale);
                    if (table.ConditionalSd(l, col) != s[l] && !(serr <= 1e-3)) errors.Add($"condsd[{group},{levels[l]},{columns[c]}]: ours {table.ConditionalSd(l, col):R}, lme4 {s[l]:R}");
                }
            }
        }
    }
}

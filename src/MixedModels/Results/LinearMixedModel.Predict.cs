using MixedModels.Data;
using MixedModels.Design;

namespace MixedModels.Results;

public sealed partial class LinearMixedModel
{
    /// <summary>
    /// Predictions for new data (lme4's <c>predict(m, newdata, allow.new.levels = TRUE)</c>): Xβ̂ plus, for each
    /// grouping factor conditioned on, the conditional mode of the row's level; a level the fit has not seen adds
    /// nothing (the population prediction for that factor). Intervals are exact given θ̂: the variance of the
    /// prediction about its target is σ̂² a'(LL')⁻¹a with a = [Λ'z; x] in the joint system of the fit's Cholesky
    /// factor L — it includes the uncertainty of β̂, of the conditional modes and their covariance — plus, for a
    /// prediction interval, σ̂² and the variance z'Σz of every random effect not conditioned on; limits use normal
    /// quantiles. (merTools' predictInterval approximates the same quantities by simulation; the uncertainty of θ̂
    /// itself is not included, as there.)
    /// </summary>
    /// <exception cref="FormulaException">A variable's column is missing from <paramref name="newData"/>.</exception>
    /// <exception cref="ModelException">A fixed-effects factor has a level the fit has not seen, or a group name is not one of the model's.</exception>
    public IReadOnlyList<Prediction> Predict(Table newData, PredictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(newData);
        options ??= new PredictOptions();
        Inference.Level.Check(options.Level, nameof(options.Level));
        var terms = Design.RandomTerms;
        if (options.Groups is { } groups)
            foreach (string g in groups)
                if (!terms.Any(t => t.GroupName == g))
                    throw new ModelException($"'{g}' is not a grouping factor of the model; its grouping factors are: {string.Join(", ", terms.Select(t => t.GroupName).Distinct())}");
        bool Included(int term) => options.Groups is null || options.Groups.Contains(terms[term].GroupName);

        var nd = NewDataDesign.Build(Design, newData, options.Groups);
        int n = nd.Rows, p = _fixed.Length;
        var ws = options.Interval == PredictionInterval.None ? null : CreateWorkspace();
        int q = terms.Sum(t => t.RandomEffectCount);
        var a = ws is null ? [] : new double[q + p];
        double z = Inference.Probability.NormalQuantile(0.5 + options.Level / 2);
        double s2 = Sigma * Sigma;
        var result = new Prediction[n];
        var x = new double[p];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < p; c++) x[c] = nd.X(i, c);
            double fit = nd.Offset(i), fixedVar = 0;
            for (int c = 0; c < p; c++)
            {
                fit += x[c] * _fixed[c].Estimate;
                for (int c2 = 0; c2 < p; c2++) fixedVar += x[c] * _vcov[c, c2] * x[c2];
            }
            var newLevels = new List<string>();
            double extra = 0;
            if (ws is not null) Array.Clear(a);
            int offset = 0;
            for (int t = 0; t < terms.Count; t++)
            {
                var term = terms[t];
                int d = term.Dimension, level = nd.Level(t, i);
                var zi = nd.Z(t, i);
                bool conditioned = Included(t) && level >= 0;
                if (conditioned)
                {
                    for (int e = 0; e < d; e++) fit += zi[e] * _modes[t][level * d + e];
                    if (ws is not null)
                    {
                        // Λ'z for this level: T' z scaled by nothing (a is in the spherical coordinates u).
                        var tf = ws.RelativeFactor(t);
                        for (int c = 0; c < d; c++)
                        {
                            double acc = 0;
                            for (int r = c; r < d; r++) acc += tf[c * d + r] * zi[r];
                            a[offset + level * d + c] = acc;
                        }
                    }
                }
                else
                {
                    if (Included(t)) newLevels.Add(term.GroupName);
                    if (options.Interval == PredictionInterval.Prediction)
                    {
                        // z'Σz = σ²‖T'z‖² in the fit's own coordinates (those of nd's rows; exact for a centred term)
                        var tf = ws!.RelativeFactor(t);
                        for (int c = 0; c < d; c++)
                        {
                            double acc = 0;
                            for (int r = c; r < d; r++) acc += tf[c * d + r] * zi[r];
                            extra += s2 * acc * acc;
                        }
                    }
                }
                offset += term.RandomEffectCount;
            }
            double se = double.NaN, lower = double.NaN, upper = double.NaN;
            if (ws is not null)
            {
                x.CopyTo(a, q);
                double variance = s2 * ws.JointQuadraticForm(a) + extra + (options.Interval == PredictionInterval.Prediction ? s2 : 0);
                se = Math.Sqrt(variance);
                lower = fit - z * se;
                upper = fit + z * se;
            }
            if (!nd.IsComplete(i)) fit = se = lower = upper = fixedVar = double.NaN;
            result[i] = new Prediction(fit, Math.Sqrt(fixedVar), se, lower, upper, newLevels.AsReadOnly());
        }
        return result.AsReadOnly();
    }
}

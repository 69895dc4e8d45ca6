using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Inference;

namespace MixedModels.Results;

public sealed partial class GeneralizedLinearMixedModel
{
    /// <summary>
    /// Predictions for new data (lme4's <c>predict(m, newdata, type, re.form, allow.new.levels = TRUE)</c>): η =
    /// Xβ̂ + offset plus the conditional modes of the levels conditioned on (an unseen level adds nothing), on the
    /// link scale or, with <see cref="PredictionScale.Response"/>, μ = g⁻¹(η). The fixed part's standard error is
    /// on the link scale. Intervals are not offered for generalized models (lme4 gives none).
    /// </summary>
    public IReadOnlyList<Prediction> Predict(Table newData, PredictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(newData);
        options ??= new PredictOptions();
        if (options.Interval != PredictionInterval.None)
            throw new ModelException("prediction intervals are not available for generalized linear mixed models (lme4's predict gives none); simulate from the model instead");
        var terms = Design.RandomTerms;
        if (options.Groups is { } groups)
            foreach (string g in groups)
                if (!terms.Any(t => t.GroupName == g))
                    throw new ModelException($"'{g}' is not a grouping factor of the model; its grouping factors are: {string.Join(", ", terms.Select(t => t.GroupName).Distinct())}");
        var nd = NewDataDesign.Build(Design, newData, options.Groups);
        int p = _fixed.Length;
        var result = new Prediction[nd.Rows];
        for (int i = 0; i < nd.Rows; i++)
        {
            double eta = nd.Offset(i), fixedVar = 0;
            for (int c = 0; c < p; c++)
            {
                eta += nd.X(i, c) * _fixed[c].Estimate;
                for (int c2 = 0; c2 < p; c2++) fixedVar += nd.X(i, c) * _vcov[c, c2] * nd.X(i, c2);
            }
            var newLevels = new List<string>();
            for (int t = 0; t < terms.Count; t++)
            {
                if (options.Groups is not null && !options.Groups.Contains(terms[t].GroupName)) continue;
                int d = terms[t].Dimension, level = nd.Level(t, i);
                if (level < 0) { newLevels.Add(terms[t].GroupName); continue; }
                var z = nd.Z(t, i);
                for (int e = 0; e < d; e++) eta += z[e] * _modes[t][level * d + e];
            }
            double fit = options.Scale == PredictionScale.Response ? Family.Link.Inverse(eta) : eta;
            double se = Math.Sqrt(fixedVar);
            if (!nd.IsComplete(i)) fit = se = double.NaN;
            result[i] = new Prediction(fit, se, double.NaN, double.NaN, double.NaN, newLevels.AsReadOnly());
        }
        return result.AsReadOnly();
    }

    /// <summary>
    /// <paramref name="count"/> new responses drawn from the fitted model (lme4's <c>simulate(m, nsim, seed)</c>):
    /// new random effects b* ~ N(0, ΛΛ'·φ), η* = Xβ̂ + Zb* + offset, then y* from the family at μ* = g⁻¹(η*)
    /// (binomial: successes out of the trials, as proportions; Poisson counts; Gamma with shape 1/φ). The same seed
    /// always gives the same responses.
    /// </summary>
    public double[][] Simulate(int count, int seed) => [.. SimulateEach(count, seed)];

    /// <summary>The same responses as <see cref="Simulate"/>, one at a time: any number of simulations in the memory of one.</summary>
    public IEnumerable<double[]> SimulateEach(int count, int seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "the number of simulations must be at least 1");
        return Each();

        IEnumerable<double[]> Each()
        {
            for (int s = 0; s < count; s++) yield return GlmmSimulator.Draw(this, ParametricBootstrap.ReplicateSeed(seed, s));
        }
    }

    internal double[] PriorWeightsArray => _priorWeights;

    internal double[][] ModesArray => _modes;
}

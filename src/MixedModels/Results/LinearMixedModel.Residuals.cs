using MixedModels.Inference;

namespace MixedModels.Results;

public sealed partial class LinearMixedModel
{
    /// <summary>The residuals of the given kind, one per observation used.</summary>
    public double[] ResidualsOf(ResidualKind kind)
    {
        var r = (double[])_residuals.Clone();
        var w = Design.Weights;
        if (kind is ResidualKind.Pearson or ResidualKind.Scaled or ResidualKind.Deviance && !w.IsEmpty)
            for (int i = 0; i < r.Length; i++) r[i] *= Math.Sqrt(w[i]);
        if (kind == ResidualKind.Scaled)
            for (int i = 0; i < r.Length; i++) r[i] /= Sigma;
        return r;
    }

    /// <summary>
    /// <paramref name="count"/> new responses drawn from the fitted model (lme4's <c>simulate(m, nsim, seed)</c>):
    /// y* = Xβ̂ + offset + Zb* + ε*, b* ~ N(0, σ̂²ΛΛ'), ε* ~ N(0, σ̂²). The same seed always gives the same responses.
    /// </summary>
    public double[][] Simulate(int count, int seed) => [.. SimulateEach(count, seed)];

    /// <summary>
    /// The same responses as <see cref="Simulate"/>, one at a time (a new array each, made when enumerated): any number
    /// of simulations in the memory of one.
    /// </summary>
    public IEnumerable<double[]> SimulateEach(int count, int seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "the number of simulations must be at least 1");
        return Each();

        IEnumerable<double[]> Each()
        {
            var simulator = new ResponseSimulator(this);
            for (int s = 0; s < count; s++)
            {
                var y = new double[Observations];
                simulator.Simulate(ParametricBootstrap.ReplicateSeed(seed, s), y);
                yield return y;
            }
        }
    }
}

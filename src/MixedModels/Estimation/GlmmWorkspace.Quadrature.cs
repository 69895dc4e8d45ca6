using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

public sealed partial class GlmmWorkspace
{
    /// <summary>
    /// Adaptive Gauss–Hermite quadrature for one scalar random-effects term (lme4's nAGQ &gt; 1): around each group's
    /// conditional mode uᵢ with scale sᵢ = 1/L_ii, the integral of exp(−devᵢ(u)/2) is approximated by the rule's
    /// nodes. Returns Σ devᵢ(ûᵢ) − 2 Σ log(sᵢ Σₖ wₖ exp((zₖ² − devᵢ(ûᵢ + zₖsᵢ) + devᵢ(ûᵢ))/2)), lme4's criterion
    /// (on the deviance-residual scale, without the family's normalizing constant, as lme4 reports it).
    /// </summary>
    private double AdaptiveQuadrature(ReadOnlySpan<double> theta)
    {
        var g = _quadrature!;
        var codes = Design.TermsArray[0].CodesArray;
        int levels = g.Levels;
        GroupDeviance(codes, g.Devc0);
        for (int i = 0; i < levels; i++)
        {
            g.Sd[i] = 1 / _active.FactorDiagonal(0, i);
            g.Mult[i] = 0;
        }
        _u.CopyTo(g.U0, 0);
        for (int k = 0; k < g.Nodes.Length; k++)
        {
            double z = g.Nodes[k], w = g.Weights[k];
            if (w == 0) continue;
            if (z == 0)
            {
                for (int i = 0; i < levels; i++) g.Mult[i] += w;
                continue;
            }
            for (int i = 0; i < levels; i++) _u[i] = g.U0[i] + z * g.Sd[i];
            UpdateEta();
            GroupDeviance(codes, g.Devc);
            for (int i = 0; i < levels; i++) g.Mult[i] += w * Math.Exp((z * z - g.Devc[i] + g.Devc0[i]) / 2);
        }
        g.U0.CopyTo(_u, 0);
        UpdateEta();
        double s = 0;
        for (int i = 0; i < levels; i++) s += g.Devc0[i] - 2 * (Math.Log(g.Mult[i]) + Math.Log(g.Sd[i]));
        return s;
    }

    /// <summary>Per group: the sum of its deviance residuals plus uᵢ².</summary>
    private void GroupDeviance(int[] codes, double[] devc)
    {
        for (int i = 0; i < devc.Length; i++) devc[i] = _u[i] * _u[i];
        for (int r = 0; r < _n; r++) devc[codes[r]] += _devResid[r];
    }
}

/// <summary>The Gauss–Hermite rule for the standard normal density (weights sum to 1), from the Golub–Welsch eigenproblem, with per-group scratch.</summary>
internal sealed class GaussHermite
{
    public GaussHermite(int points, int levels)
    {
        (Nodes, Weights) = Rule(points);
        Levels = levels;
        Devc0 = new double[levels];
        Devc = new double[levels];
        Mult = new double[levels];
        Sd = new double[levels];
        U0 = new double[levels];
    }

    /// <summary>The nodes in increasing order and their weights (summing to 1) of the <paramref name="points"/>-point rule.</summary>
    public static (double[] Nodes, double[] Weights) Rule(int points)
    {
        var j = new double[points, points];
        for (int i = 1; i < points; i++) j[i, i - 1] = j[i - 1, i] = Math.Sqrt(i);
        var (values, vectors) = SymmetricEigen.Decompose(j);
        var order = Enumerable.Range(0, points).OrderBy(i => values[i]).ToArray();
        var nodes = new double[points];
        var weights = new double[points];
        for (int k = 0; k < points; k++)
        {
            int i = order[k];
            nodes[k] = Math.Abs(values[i]) < 1e-12 ? 0 : values[i];
            weights[k] = vectors[0, i] * vectors[0, i];
        }
        return (nodes, weights);
    }

    public double[] Nodes { get; }

    public double[] Weights { get; }

    public int Levels { get; }

    public double[] Devc0 { get; }

    public double[] Devc { get; }

    public double[] Mult { get; }

    public double[] Sd { get; }

    public double[] U0 { get; }
}

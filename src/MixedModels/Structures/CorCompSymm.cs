namespace MixedModels.Structures;

/// <summary>nlme's <c>corCompSymm</c>: one correlation ρ between any two errors of a group (ρ &gt; −1/(m − 1)).</summary>
public sealed class CorCompSymm : CorrelationStructure
{
    /// <summary>Compound symmetry within the groups of <paramref name="form"/>.</summary>
    public CorCompSymm(StructureFormula form, IReadOnlyList<double>? value = null) : base(form, value ?? [])
    {
        if (Value.Count > 1 || Value.Count == 1 && !(Value[0] is > -1 and < 1)) throw new ModelException("corCompSymm(): value = takes one correlation between -1 and 1");
    }

    /// <inheritdoc/>
    public override string ClassName => "corCompSymm";

    /// <inheritdoc/>
    public override string Description => "Compound symmetry";

    private protected override BoundCorrelation Bind(int[][] groupRows, double[][] covariates)
    {
        int largest = groupRows.Length == 0 ? 1 : groupRows.Max(r => r.Length);
        if (largest < 2) throw new ModelException("corCompSymm(): every group has one observation, so there is no correlation to estimate");
        return new Bound(this, groupRows, 1.0 / (largest - 1));
    }

    private sealed class Bound(CorCompSymm s, int[][] groupRows, double inf) : BoundCorrelation(groupRows)
    {
        public override int ParameterCount => 1;

        // nlme's unconstrained scale: log((ρ + 1/(m − 1)) / (1 − ρ)), m the largest group.
        public override double[] Start()
        {
            double rho = s.Value.Count == 1 ? s.Value[0] : 0;
            if (rho <= -inf) throw new ModelException($"corCompSymm(): the initial correlation must be above {-inf:G4}");
            return [Math.Log((rho + inf) / (1 - rho))];
        }

        private double Rho(ReadOnlySpan<double> par)
        {
            double e = Math.Exp(par[0]);
            return double.IsPositiveInfinity(e) ? 1 : (e - inf) / (1 + e);
        }

        public override void Fill(ReadOnlySpan<double> par, int g, Span<double> c)
        {
            double rho = Rho(par);
            int m = GroupRows[g].Length;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++) c[i * m + j] = i == j ? 1 : rho;
        }

        public override (string[] Names, double[] Values) Natural(ReadOnlySpan<double> par) => (["Rho"], [Rho(par)]);

        /// <summary>nlme's compound-symmetry factor: the scaled mean, then Helmert contrasts scaled by 1/√(k(k − 1)(1 − ρ)).</summary>
        public override bool Normalize(ReadOnlySpan<double> par, int g, Span<double> v)
        {
            double rho = Rho(par);
            int m = v.Length;
            double sum = 0;
            var copy = v.ToArray();
            for (int k = 0; k < m; k++)
            {
                if (k > 0) v[k] = (k * copy[k] - sum) / Math.Sqrt(k * (k + 1) * (1 - rho));
                sum += copy[k];
            }
            v[0] = sum / Math.Sqrt(m * (1 + (m - 1) * rho));
            return true;
        }
    }
}

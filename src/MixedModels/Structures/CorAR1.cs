namespace MixedModels.Structures;

/// <summary>
/// nlme's <c>corAR1</c> (integer times or positions: cor = φ^|tᵢ − tⱼ|, −1 &lt; φ &lt; 1) and <c>corCAR1</c> (continuous
/// times: cor = φ^|tᵢ − tⱼ|, 0 &lt; φ &lt; 1).
/// </summary>
public sealed class CorAR1 : CorrelationStructure
{
    /// <summary>An AR(1) structure of <paramref name="form"/>; <paramref name="continuous"/> for corCAR1.</summary>
    public CorAR1(StructureFormula form, IReadOnlyList<double>? value = null, bool continuous = false) : base(form, value ?? [])
    {
        Continuous = continuous;
        if (form.Covariates.Count > 1) throw new ModelException($"{ClassName}(form = {form.Text}): give one time covariate");
        if (Value.Count > 1) throw new ModelException($"{ClassName}(): value = takes one number, φ");
        if (Value.Count == 1 && !(continuous ? Value[0] is > 0 and < 1 : Value[0] is > -1 and < 1))
            throw new ModelException($"{ClassName}(): parameter must be between {(continuous ? "0" : "-1")} and 1");
    }

    /// <summary>True for corCAR1.</summary>
    public bool Continuous { get; }

    /// <inheritdoc/>
    public override string ClassName => Continuous ? "corCAR1" : "corAR1";

    /// <inheritdoc/>
    public override string Description => Continuous ? "Continuous AR(1)" : "AR(1)";

    private protected override BoundCorrelation Bind(int[][] groupRows, double[][] covariates)
    {
        var cov = covariates.Length == 1 ? covariates[0] : null;
        double[][] times;
        if (Continuous)
        {
            times = groupRows.Select(rows => cov is null ? Enumerable.Range(1, rows.Length).Select(i => (double)i).ToArray() : rows.Select(r => cov[r]).ToArray()).ToArray();
            foreach (var t in times)
                if (t.Distinct().Count() != t.Length) throw new ModelException("corCAR1(): covariate must have unique values within groups");
        }
        else times = Positions(groupRows, cov, ClassName + "()").Select(t => t.Select(v => (double)v).ToArray()).ToArray();
        return new Bound(this, groupRows, times);
    }

    private sealed class Bound(CorAR1 s, int[][] groupRows, double[][] times) : BoundCorrelation(groupRows)
    {
        // Each group's rows in time order and the time step to each from the one before (0 for the first).
        private readonly (int[] Order, double[] Step)[] _chain = Array.ConvertAll(times, t =>
        {
            var order = Enumerable.Range(0, t.Length).OrderBy(i => t[i]).ToArray();
            var step = new double[t.Length];
            for (int i = 1; i < t.Length; i++) step[i] = t[order[i]] - t[order[i - 1]];
            return (order, step);
        });

        public override int ParameterCount => 1;

        public override double[] Start()
        {
            double phi = s.Value.Count == 1 ? s.Value[0] : s.Continuous ? 0.2 : 0;
            return [s.Continuous ? Math.Log(phi / (1 - phi)) : Math.Log((1 + phi) / (1 - phi))];
        }

        private double Phi(ReadOnlySpan<double> par) => s.Continuous ? 1 / (1 + Math.Exp(-par[0])) : Math.Tanh(par[0] / 2);

        public override void Fill(ReadOnlySpan<double> par, int g, Span<double> c)
        {
            double phi = Phi(par);
            var t = times[g];
            int m = t.Length;
            for (int i = 0; i < m; i++)
            {
                c[i * m + i] = 1;
                for (int j = 0; j < i; j++) c[i * m + j] = c[j * m + i] = Math.Pow(phi, Math.Abs(t[i] - t[j]));
            }
        }

        public override bool IsMarkov => true;

        public override int[] Markov(ReadOnlySpan<double> par, int g, Span<double> rho)
        {
            double phi = Phi(par);
            var (order, step) = _chain[g];
            rho[0] = 0;
            for (int i = 1; i < step.Length; i++) rho[i] = step[i] == 1 ? phi : Math.Pow(phi, step[i]);
            return order;
        }

        public override (string[] Names, double[] Values) Natural(ReadOnlySpan<double> par) => (["Phi"], [Phi(par)]);
    }
}

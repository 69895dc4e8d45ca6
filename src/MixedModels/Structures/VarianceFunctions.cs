using MixedModels.Data;

namespace MixedModels.Structures;

/// <summary>nlme's <c>varIdent(form = ~ 1 | g)</c>: a standard deviation per stratum, relative to the first (δ₁ = 1).</summary>
public sealed class VarIdent : VarianceFunction
{
    /// <summary>Different variances per level of <c>form</c>'s stratum.</summary>
    public VarIdent(StructureFormula form) : base(form)
    {
        if (form.Groups.Count == 0) throw new ModelException("varIdent(): give the strata, e.g. varIdent(form = ~ 1 | Sex)");
        if (form.Covariates.Count > 0 || form.Fitted) throw new ModelException($"varIdent(form = {form.Text}): the formula takes no covariate, e.g. ~ 1 | Sex");
    }

    /// <inheritdoc/>
    public override string ClassName => "varIdent";

    /// <inheritdoc/>
    public override string Description => "Different standard deviations per stratum";

    internal override BoundVariance Bind(Table data, IReadOnlyList<int> rows)
    {
        var (codes, labels) = Strata.Of(data, rows, Form, "varIdent()");
        return new Bound(this, codes, labels);
    }

    private sealed class Bound(VarIdent f, int[] codes, string[] labels) : BoundVariance
    {
        private readonly string[] _names = labels[1..];

        public override int ParameterCount => labels.Length - 1;

        public override bool NeedsFitted => false;

        // Ratios to the reference stratum on the log scale.
        public override double[] Start() => f.StartValues(_names, Math.Log, "ratios");

        public override bool[] Fixed() => f.FixedMask(_names);

        public override void AddLogSd(ReadOnlySpan<double> par, ReadOnlySpan<double> fitted, Span<double> logSd)
        {
            for (int i = 0; i < logSd.Length; i++) if (codes[i] > 0) logSd[i] += par[codes[i] - 1];
        }

        public override IReadOnlyList<(string, string, string[], double[])> Sections(ReadOnlySpan<double> par)
        {
            var values = new double[labels.Length];
            values[0] = 1;
            for (int s = 1; s < values.Length; s++) values[s] = Math.Exp(par[s - 1]);
            return [(f.Description, f.Form.Text, labels, values)];
        }
    }
}

/// <summary>
/// nlme's covariate variance functions: <c>varPower</c> (g = |v|^δ), <c>varExp</c> (g = exp(δ v)) and
/// <c>varConstPower</c> (g = c + |v|^δ), with v a covariate or the fitted values (the default), one δ per stratum.
/// </summary>
public sealed class VarPower : VarianceFunction
{
    /// <summary>Which of nlme's covariate functions.</summary>
    public enum Kind
    {
        /// <summary><c>varPower</c>: g = |v|^δ.</summary>
        Power,
        /// <summary><c>varExp</c>: g = exp(δ v).</summary>
        Exp,
        /// <summary><c>varConstPower</c>: g = c + |v|^δ, c &gt; 0.</summary>
        ConstPower,
    }

    /// <summary>A covariate variance function of <paramref name="form"/>.</summary>
    public VarPower(StructureFormula form, Kind kind) : base(form)
    {
        FunctionKind = kind;
        if (form.Covariates.Count > 1) throw new ModelException($"{ClassName}(form = {form.Text}): give one covariate");
        if (form.Covariates.Count == 0 && !form.Fitted) throw new ModelException($"{ClassName}(form = {form.Text}): give a covariate, e.g. ~ age, or leave form out for the fitted values");
        if (kind == Kind.ConstPower && form.Groups.Count > 0) throw new ModelException("varConstPower() with strata is not supported yet");
    }

    /// <summary>The function's kind.</summary>
    public Kind FunctionKind { get; }

    /// <inheritdoc/>
    public override string ClassName => FunctionKind switch { Kind.Power => "varPower", Kind.Exp => "varExp", _ => "varConstPower" };

    /// <inheritdoc/>
    public override string Description => FunctionKind switch
    {
        Kind.Power => "Power of variance covariate",
        Kind.Exp => "Exponential of variance covariate",
        _ => "Constant plus power of variance covariate",
    };

    internal override BoundVariance Bind(Table data, IReadOnlyList<int> rows)
    {
        var v = Form.Fitted ? null : StructureFormula.Numeric(data, rows, Form.Covariates[0], ClassName + "()");
        var (codes, labels) = Form.Groups.Count > 0 ? Strata.Of(data, rows, Form, ClassName + "()") : (new int[rows.Count], [""]);
        if (v is not null && FunctionKind == Kind.Power && v.Any(x => x == 0))
            throw new ModelException($"{ClassName}(form = {Form.Text}): the covariate is 0 in some rows, where |v|^power is 0 or infinite; use varConstPower()");
        return new Bound(this, v, codes, labels);
    }

    private sealed class Bound(VarPower f, double[]? v, int[] codes, string[] labels) : BoundVariance
    {
        public override int ParameterCount => f.FunctionKind == Kind.ConstPower ? 2 : labels.Length;

        public override bool NeedsFitted => v is null;

        private string[] Names => f.FunctionKind == Kind.ConstPower ? ["const", "power"] : labels.Length == 1 ? [f.FunctionKind == Kind.Power ? "power" : "expon"] : labels;

        public override double[] Start()
        {
            var start = f.StartValues(Names, x => x, "parameters");
            if (f.FunctionKind == Kind.ConstPower)
            {
                // The constant is estimated on the log scale; nlme's default is 1.
                double c = f.FixedValues.Of(0, "const") ?? f.Values.Of(0, "const") ?? 1;
                if (!(c > 0)) throw new ModelException($"varConstPower(): const must be positive, not {c}");
                start[0] = Math.Log(c);
            }
            return start;
        }

        public override bool[] Fixed() => f.FixedMask(Names);

        public override void AddLogSd(ReadOnlySpan<double> par, ReadOnlySpan<double> fitted, Span<double> logSd)
        {
            var cov = v is null ? fitted : v;
            switch (f.FunctionKind)
            {
                case Kind.Power:
                    for (int i = 0; i < logSd.Length; i++) logSd[i] += par[codes[i]] * Math.Log(Math.Abs(cov[i]));
                    break;
                case Kind.Exp:
                    for (int i = 0; i < logSd.Length; i++) logSd[i] += par[codes[i]] * cov[i];
                    break;
                default:
                    double c = Math.Exp(par[0]);
                    for (int i = 0; i < logSd.Length; i++) logSd[i] += Math.Log(c + Math.Pow(Math.Abs(cov[i]), par[1]));
                    break;
            }
        }

        public override IReadOnlyList<(string, string, string[], double[])> Sections(ReadOnlySpan<double> par)
        {
            if (f.FunctionKind == Kind.ConstPower) return [(f.Description, f.Form.Text, ["const", "power"], [Math.Exp(par[0]), par[1]])];
            string[] names = labels.Length == 1 ? [f.FunctionKind == Kind.Power ? "power" : "expon"] : labels;
            return [(f.Description, f.Form.Text, names, par.ToArray())];
        }
    }
}

/// <summary>nlme's <c>varFixed(~ v)</c>: Var(εᵢ) = σ² |vᵢ| (no parameters).</summary>
public sealed class VarFixed : VarianceFunction
{
    /// <summary>Variance proportional to the covariate of <paramref name="form"/>.</summary>
    public VarFixed(StructureFormula form) : base(form)
    {
        if (form.Covariates.Count != 1 || form.Groups.Count > 0) throw new ModelException($"varFixed({form.Text}): give one covariate, e.g. varFixed(~ x)");
    }

    /// <inheritdoc/>
    public override string ClassName => "varFixed";

    /// <inheritdoc/>
    public override string Description => "fixed weights";

    internal override BoundVariance Bind(Table data, IReadOnlyList<int> rows)
    {
        var v = StructureFormula.Numeric(data, rows, Form.Covariates[0], "varFixed()");
        if (v.Any(x => x == 0)) throw new ModelException($"varFixed({Form.Text}): the covariate is 0 in some rows (a zero variance)");
        return new Bound(this, v);
    }

    /// <summary>The call as nlme's summary names it.</summary>
    public override string ToString() => $"varFixed({Form.Text})";

    private sealed class Bound(VarFixed f, double[] v) : BoundVariance
    {
        public override int ParameterCount => 0;

        public override bool NeedsFitted => false;

        public override double[] Start() => [];

        public override void AddLogSd(ReadOnlySpan<double> par, ReadOnlySpan<double> fitted, Span<double> logSd)
        {
            for (int i = 0; i < logSd.Length; i++) logSd[i] += 0.5 * Math.Log(Math.Abs(v[i]));
        }

        public override IReadOnlyList<(string, string, string[], double[])> Sections(ReadOnlySpan<double> par) => [(f.Description, f.Form.Text, [], [])];
    }
}

/// <summary>nlme's <c>varComb(f₁, f₂, …)</c>: the product of the functions' g.</summary>
public sealed class VarComb : VarianceFunction
{
    private readonly VarianceFunction[] _parts;

    /// <summary>The combination of <paramref name="parts"/>.</summary>
    public VarComb(IReadOnlyList<VarianceFunction> parts) : base(new StructureFormula())
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Any(p => p is VarComb)) throw new ModelException("varComb() of a varComb(): list the functions in one varComb()");
        _parts = [.. parts];
    }

    /// <summary>The combined functions.</summary>
    public IReadOnlyList<VarianceFunction> Parts => _parts.AsReadOnly();

    /// <inheritdoc/>
    public override string ClassName => "varComb";

    /// <inheritdoc/>
    public override string Description => "Combination of variance functions";

    /// <summary>The call as written.</summary>
    public override string ToString() => $"varComb({string.Join(", ", _parts.Select(p => p.ToString()))})";

    internal override BoundVariance Bind(Table data, IReadOnlyList<int> rows) => new Bound(_parts.Select(p => p.Bind(data, rows)).ToArray());

    private sealed class Bound(BoundVariance[] parts) : BoundVariance
    {
        public override int ParameterCount => parts.Sum(p => p.ParameterCount);

        public override bool NeedsFitted => parts.Any(p => p.NeedsFitted);

        public override double[] Start() => parts.SelectMany(p => p.Start()).ToArray();

        public override bool[] Fixed() => parts.SelectMany(p => p.Fixed()).ToArray();

        public override void AddLogSd(ReadOnlySpan<double> par, ReadOnlySpan<double> fitted, Span<double> logSd)
        {
            int at = 0;
            foreach (var p in parts)
            {
                p.AddLogSd(par.Slice(at, p.ParameterCount), fitted, logSd);
                at += p.ParameterCount;
            }
        }

        public override IReadOnlyList<(string, string, string[], double[])> Sections(ReadOnlySpan<double> par)
        {
            var all = new List<(string, string, string[], double[])>();
            int at = 0;
            foreach (var p in parts)
            {
                all.AddRange(p.Sections(par.Slice(at, p.ParameterCount)));
                at += p.ParameterCount;
            }
            return all;
        }
    }
}

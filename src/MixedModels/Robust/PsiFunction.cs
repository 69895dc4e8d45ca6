namespace MixedModels.Robust;

/// <summary>
/// A ψ-function of robust M-estimation (robustlmm's <c>psi_func</c>): ρ, ψ = ρ', the weight ψ(x)/x and their
/// derivatives, and the expectations under the standard normal distribution the estimating equations need.
/// Immutable; the expectations are computed once, by numerical integration where no closed form is used.
/// </summary>
public abstract class PsiFunction
{
    private double _eDPsi = double.NaN, _ePsi2 = double.NaN;

    /// <summary>The classical (least-squares) function ρ(x) = x²/2: robustlmm's <c>cPsi</c>; with it the fit is lmer's.</summary>
    public static PsiFunction Classical { get; } = new ClassicalPsi();

    /// <summary>robustlmm's <c>smoothPsi</c>: Huber's ψ with its corner smoothed, linear up to c and k − (|x| − d)^−s beyond.</summary>
    /// <param name="k">The tuning constant (robustlmm's default 1.345).</param>
    /// <param name="s">The smoothness (default 10).</param>
    public static PsiFunction SmoothHuber(double k = 1.345, double s = 10) => new SmoothHuberPsi(k, s);

    /// <summary>Huber's ψ-function, min(max(x, −k), k) (robustlmm's <c>huberPsiRcpp</c>).</summary>
    public static PsiFunction Huber(double k = 1.345) => new HuberPsi(k);

    /// <summary>The name robustlmm prints, e.g. <c>smoothed Huber</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The tuning constants with their names, in robustlmm's order (k, s).</summary>
    public abstract IReadOnlyList<(string Name, double Value)> Tuning { get; }

    /// <summary>The same function with another tuning constant k (robustlmm's <c>chgDefaults(rho, k = )</c>).</summary>
    public abstract PsiFunction WithK(double k);

    /// <summary>
    /// Huber's Proposal 2 built on this function (robustlmm's <c>psi2propII</c>): ψ(x)·w(x) with weight w(x)², the
    /// function robustlmm uses for the scale equations of residuals and of scalar variance components.
    /// </summary>
    public PsiFunction ProposalII() => this is ProposalIIPsi ? throw new InvalidOperationException("Proposal 2 cannot be applied twice") : new ProposalIIPsi(this);

    /// <summary>The loss ρ(x).</summary>
    public abstract double Rho(double x);

    /// <summary>ψ(x) = ρ'(x).</summary>
    public abstract double Psi(double x);

    /// <summary>The robustness weight ψ(x)/x.</summary>
    public abstract double Weight(double x);

    /// <summary>ψ'(x).</summary>
    public abstract double DPsi(double x);

    /// <summary>The derivative of the weight.</summary>
    public abstract double DWeight(double x);

    /// <summary>E[ψ'(Z)] for Z standard normal (computed once).</summary>
    public double ExpectedDPsi() => double.IsNaN(_eDPsi) ? _eDPsi = ComputeExpectedDPsi() : _eDPsi;

    /// <summary>E[ψ(Z)²] for Z standard normal (computed once).</summary>
    public double ExpectedPsiSquared() => double.IsNaN(_ePsi2) ? _ePsi2 = ComputeExpectedPsiSquared() : _ePsi2;

    /// <summary>Points where the function's smoothness changes (break points for numerical integration).</summary>
    internal abstract double[] Corners { get; }

    /// <summary>True for the classical function (every weight 1).</summary>
    internal virtual bool IsClassical => false;

    /// <summary>The bound up to which ψ(x) = x and the weight is 1 (|x| ≤ bound): the quadrature's fast path.</summary>
    internal abstract double LinearBound { get; }

    /// <summary>E[ψ'(Z)] by numerical integration unless a subclass has a closed form.</summary>
    protected virtual double ComputeExpectedDPsi() => Quadrature.NormalExpectation(DPsi, Corners);

    /// <summary>E[ψ(Z)²] by numerical integration unless a subclass has a closed form.</summary>
    protected virtual double ComputeExpectedPsiSquared() => Quadrature.NormalExpectation(x => { double v = Psi(x); return v * v; }, Corners);

    /// <summary>robustlmm's short description, e.g. <c>smoothed Huber (k = 1.345, s = 10)</c>.</summary>
    public override string ToString()
    {
        var t = Tuning;
        return t.Count == 0 ? Name : $"{Name} ({string.Join(", ", t.Select(p => $"{p.Name} = {Formatting.RFormat.Cat(Math.Round(p.Value, 3))}"))})";
    }
}

/// <summary>ρ(x) = x²/2.</summary>
internal sealed class ClassicalPsi : PsiFunction
{
    public override string Name => "classic";
    public override IReadOnlyList<(string Name, double Value)> Tuning => [];
    public override PsiFunction WithK(double k) => this;
    public override double Rho(double x) => x * x / 2;
    public override double Psi(double x) => x;
    public override double Weight(double x) => 1;
    public override double DPsi(double x) => 1;
    public override double DWeight(double x) => 0;
    internal override double[] Corners => [];
    internal override bool IsClassical => true;
    internal override double LinearBound => double.PositiveInfinity;
    protected override double ComputeExpectedDPsi() => 1;
    protected override double ComputeExpectedPsiSquared() => 1;
}

/// <summary>Huber's ψ with closed-form expectations (robustlmm's HuberPsi).</summary>
internal sealed class HuberPsi(double k) : PsiFunction
{
    public double K { get; } = k > 0 ? k : throw new ArgumentOutOfRangeException(nameof(k), "Huber's k must be positive");
    public override string Name => "Huber";
    public override IReadOnlyList<(string Name, double Value)> Tuning => [("k", K)];
    public override PsiFunction WithK(double k) => new HuberPsi(k);
    public override double Rho(double x) { double u = Math.Abs(x); return u > K ? K * (u - K / 2) : u * u / 2; }
    public override double Psi(double x) => Math.Clamp(x, -K, K);
    public override double Weight(double x) => Math.Abs(x) > K ? K / Math.Abs(x) : 1;
    public override double DPsi(double x) => Math.Abs(x) > K ? 0 : 1;
    public override double DWeight(double x) => x < -K ? K / (x * x) : x > K ? -K / (x * x) : 0;
    internal override double[] Corners => [-K, K];
    internal override double LinearBound => K;
    protected override double ComputeExpectedDPsi() => 2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, K) - 1;
    protected override double ComputeExpectedPsiSquared()
    {
        if (K >= 10) return 1;
        double phi = Math.Exp(-K * K / 2) / Math.Sqrt(2 * Math.PI), upper = 1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, K);
        return 1 - 2 * (K * phi + (1 - K * K) * upper);
    }
}

/// <summary>
/// robustlmm's smoothed Huber function: with a = s^(1/(s+1)), c = k − a^−s and d = c − a, ψ(x) = x for |x| ≤ c and
/// sign(x)·(k − (|x| − d)^−s) beyond, so ψ' is continuous and ψ tends to ±k.
/// </summary>
internal sealed class SmoothHuberPsi : PsiFunction
{
    private readonly double _a, _c, _d;

    public SmoothHuberPsi(double k, double s)
    {
        if (!(k > 0)) throw new ArgumentOutOfRangeException(nameof(k), "the smoothed Huber function's k must be positive");
        if (!(s > 0)) throw new ArgumentOutOfRangeException(nameof(s), "the smoothed Huber function's s must be positive");
        K = k;
        S = s;
        _a = Math.Pow(s, 1 / (s + 1));
        _c = k - Math.Pow(_a, -s);
        _d = _c - _a;
        _integerS = s == Math.Floor(s) && s <= 64 ? (int)s : 0;
    }

    private readonly int _integerS;

    /// <summary>s when it is a whole number up to 64 (powers by repeated squaring), else 0.</summary>
    internal int IntegerS => _integerS;

    /// <summary>The end of the linear part, k − a^−s.</summary>
    internal double C => _c;

    /// <summary>The shift d = c − a of the tail (|x| − d)^−s.</summary>
    internal double D => _d;

    /// <summary>x^(−s), by repeated squaring when s is a whole number (the default s = 10), else by Math.Pow.</summary>
    private double PowNegS(double x)
    {
        int e = _integerS;
        if (e == 0) return Math.Pow(x, -S);
        double result = 1, b = x;
        while (true)
        {
            if ((e & 1) != 0) result *= b;
            e >>= 1;
            if (e == 0) break;
            b *= b;
        }
        return 1 / result;
    }

    public double K { get; }
    public double S { get; }
    public override string Name => "smoothed Huber";
    public override IReadOnlyList<(string Name, double Value)> Tuning => [("k", K), ("s", S)];
    public override PsiFunction WithK(double k) => new SmoothHuberPsi(k, S);

    public override double Rho(double x)
    {
        double ax = Math.Abs(x);
        return ax <= _c ? x * x / 2 : _c * _c / 2 + K * (ax - _c) - (Math.Pow(ax - _d, 1 - S) - Math.Pow(_a, 1 - S)) / (1 - S);
    }

    public override double Psi(double x)
    {
        double ax = Math.Abs(x);
        return ax <= _c ? x : Math.Sign(x) * (K - PowNegS(ax - _d));
    }

    public override double Weight(double x)
    {
        double ax = Math.Abs(x);
        return ax <= _c ? 1 : (K - PowNegS(ax - _d)) / ax;
    }

    public override double DPsi(double x)
    {
        double ax = Math.Abs(x);
        return ax <= _c ? 1 : S * PowNegS(ax - _d) / (ax - _d);
    }

    public override double DWeight(double x)
    {
        double ax = Math.Abs(x);
        return ax <= _c ? 0 : PowNegS(ax - _d) / (ax - _d) * S / x - (K - PowNegS(ax - _d)) / (x * ax);
    }

    internal override double[] Corners => [-_c, _c];
    internal override double LinearBound => _c;
}

/// <summary>Huber's Proposal 2 on a base function: ψ(x) = w(x)·ψ₀(x), weight w(x)² (robustlmm's psi2propII).</summary>
internal sealed class ProposalIIPsi(PsiFunction inner) : PsiFunction
{
    public PsiFunction Inner { get; } = inner;
    public override string Name => Inner.Name + ", Proposal 2";
    public override IReadOnlyList<(string Name, double Value)> Tuning => Inner.Tuning;
    public override PsiFunction WithK(double k) => new ProposalIIPsi(Inner.WithK(k));
    public override double Rho(double x) => x == 0 ? 0 : Quadrature.Integrate(Psi, 0, x, []);
    public override double Psi(double x) => Inner.Weight(x) * Inner.Psi(x);
    public override double Weight(double x) { double w = Inner.Weight(x); return w * w; }
    public override double DPsi(double x) => Inner.Weight(x) * Inner.DPsi(x) + Inner.DWeight(x) * Inner.Psi(x);
    public override double DWeight(double x) => 2 * Inner.Weight(x) * Inner.DWeight(x);
    internal override double[] Corners => Inner.Corners;
    internal override double LinearBound => Inner.LinearBound;
}

using MathNet.Numerics.Distributions;

namespace MixedModels.Families;

/// <summary>
/// A link function g of a generalized linear model: η = g(μ), its inverse and dμ/dη, with R's <c>make.link</c>
/// safeguards (μ kept inside the family's range, dμ/dη never below machine epsilon where R bounds it).
/// </summary>
public abstract class Link
{
    /// <summary>Machine epsilon, R's <c>.Machine$double.eps</c>.</summary>
    protected const double Eps = 2.220446049250313e-16;

    /// <summary>The link's name as R writes it (<c>logit</c>, <c>log</c>, <c>1/mu^2</c>).</summary>
    public abstract string Name { get; }

    /// <summary>η = g(μ).</summary>
    public abstract double LinkFun(double mu);

    /// <summary>μ = g⁻¹(η).</summary>
    public abstract double Inverse(double eta);

    /// <summary>dμ/dη at η.</summary>
    public abstract double MuEta(double eta);

    /// <summary>μ and dμ/dη at η together (one exponential for the logit and log links).</summary>
    public virtual void Evaluate(double eta, out double mu, out double muEta)
    {
        mu = Inverse(eta);
        muEta = MuEta(eta);
    }

    /// <summary>Whether η is a valid linear predictor for this link.</summary>
    public virtual bool ValidEta(double eta) => double.IsFinite(eta);

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>The link R calls <paramref name="name"/>, or null.</summary>
    public static Link? FromName(string name) => name switch
    {
        "logit" => new LogitLink(),
        "probit" => new ProbitLink(),
        "cloglog" => new CloglogLink(),
        "cauchit" => new CauchitLink(),
        "log" => new LogLink(),
        "sqrt" => new SqrtLink(),
        "identity" => new IdentityLink(),
        "inverse" => new InverseLink(),
        "1/mu^2" => new InverseSquareLink(),
        _ => null,
    };

    /// <summary>The names <see cref="FromName"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["logit", "probit", "cloglog", "cauchit", "log", "sqrt", "identity", "inverse", "1/mu^2"];
}

internal sealed class LogitLink : Link
{
    private const double Threshold = 30, MinusThreshold = -30;
    private const double InvEps = 1 / Eps;

    public override string Name => "logit";

    public override double LinkFun(double mu) => Math.Log(mu / (1 - mu));

    public override double Inverse(double eta)
    {
        double t = eta < MinusThreshold ? Eps : eta > Threshold ? InvEps : Math.Exp(eta);
        return t / (1 + t);
    }

    public override double MuEta(double eta)
    {
        double opexp = 1 + Math.Exp(eta);
        return eta > Threshold || eta < MinusThreshold ? Eps : Math.Exp(eta) / (opexp * opexp);
    }

    public override void Evaluate(double eta, out double mu, out double muEta)
    {
        if (eta > Threshold || eta < MinusThreshold)
        {
            double t = eta < MinusThreshold ? Eps : InvEps;
            mu = t / (1 + t);
            muEta = Eps;
            return;
        }
        double e = Math.Exp(eta), opexp = 1 + e;
        mu = e / opexp;
        muEta = e / (opexp * opexp);
    }
}

internal sealed class ProbitLink : Link
{
    private static readonly double Threshold = -Normal.InvCDF(0, 1, Eps);

    public override string Name => "probit";

    public override double LinkFun(double mu) => Normal.InvCDF(0, 1, mu);

    public override double Inverse(double eta) => Normal.CDF(0, 1, Math.Clamp(eta, -Threshold, Threshold));

    public override double MuEta(double eta) => Math.Max(Normal.PDF(0, 1, eta), Eps);
}

internal sealed class CloglogLink : Link
{
    public override string Name => "cloglog";

    public override double LinkFun(double mu) => Math.Log(-Math.Log(1 - mu));

    public override double Inverse(double eta) => Math.Max(Math.Min(-Accurate.ExpM1(-Math.Exp(eta)), 1 - Eps), Eps);

    public override double MuEta(double eta)
    {
        eta = Math.Min(eta, 700);
        return Math.Max(Math.Exp(eta) * Math.Exp(-Math.Exp(eta)), Eps);
    }
}

internal sealed class CauchitLink : Link
{
    private static readonly double Threshold = -Math.Tan(Math.PI * (Eps - 0.5));

    public override string Name => "cauchit";

    public override double LinkFun(double mu) => Math.Tan(Math.PI * (mu - 0.5));

    public override double Inverse(double eta) => 0.5 + Math.Atan(Math.Clamp(eta, -Threshold, Threshold)) / Math.PI;

    public override double MuEta(double eta) => Math.Max(1 / (Math.PI * (1 + eta * eta)), Eps);
}

internal sealed class LogLink : Link
{
    public override string Name => "log";

    public override double LinkFun(double mu) => Math.Log(mu);

    public override double Inverse(double eta) => Math.Max(Math.Exp(eta), Eps);

    public override double MuEta(double eta) => Math.Max(Math.Exp(eta), Eps);

    public override void Evaluate(double eta, out double mu, out double muEta) => mu = muEta = Math.Max(Math.Exp(eta), Eps);
}

internal sealed class SqrtLink : Link
{
    public override string Name => "sqrt";

    public override double LinkFun(double mu) => Math.Sqrt(mu);

    public override double Inverse(double eta) => eta * eta;

    public override double MuEta(double eta) => 2 * eta;

    public override bool ValidEta(double eta) => double.IsFinite(eta) && eta > 0;
}

internal sealed class IdentityLink : Link
{
    public override string Name => "identity";

    public override double LinkFun(double mu) => mu;

    public override double Inverse(double eta) => eta;

    public override double MuEta(double eta) => 1;
}

internal sealed class InverseLink : Link
{
    public override string Name => "inverse";

    public override double LinkFun(double mu) => 1 / mu;

    public override double Inverse(double eta) => 1 / eta;

    public override double MuEta(double eta) => -1 / (eta * eta);

    public override bool ValidEta(double eta) => double.IsFinite(eta) && eta != 0;
}

internal sealed class InverseSquareLink : Link
{
    public override string Name => "1/mu^2";

    public override double LinkFun(double mu) => 1 / (mu * mu);

    public override double Inverse(double eta) => 1 / Math.Sqrt(eta);

    public override double MuEta(double eta) => -1 / (2 * Math.Pow(eta, 1.5));

    public override bool ValidEta(double eta) => double.IsFinite(eta) && eta > 0;
}

namespace MixedModels.Families;

/// <summary>
/// The response distribution of a generalized linear (mixed) model, as R's <c>family</c> objects define it: the
/// variance function, deviance residuals, the AIC (−2 log-likelihood, which lme4's Laplace criterion uses), the
/// starting μ and the valid ranges of y and μ. Families are immutable and shared.
/// </summary>
public abstract class Family
{
    /// <summary>A family with its link.</summary>
    protected Family(Link link) => Link = link;

    /// <summary>R's name: <c>binomial</c>, <c>poisson</c>, <c>Gamma</c>, <c>inverse.gaussian</c>, <c>gaussian</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The link function.</summary>
    public Link Link { get; }

    /// <summary>True when the family has a dispersion (scale) parameter estimated from the data (Gamma, inverse Gaussian, Gaussian).</summary>
    public abstract bool HasDispersion { get; }

    /// <summary>V(μ).</summary>
    public abstract double Variance(double mu);

    /// <summary>The deviance residual's square dᵢ (R's <c>dev.resids</c>) of one observation with prior weight <paramref name="weight"/>.</summary>
    public abstract double DevianceResidual(double y, double mu, double weight);

    /// <summary>
    /// R's <c>family$aic</c>: −2 log-likelihood (plus 2 for a dispersion parameter, as R adds it) given the
    /// response, binomial trials, means, prior weights and the total deviance.
    /// </summary>
    public double Aic(ReadOnlySpan<double> y, ReadOnlySpan<double> trials, ReadOnlySpan<double> mu, ReadOnlySpan<double> weights, double deviance) =>
        AicConstant(y, trials, weights) + AicVariable(y, trials, mu, weights, deviance);

    /// <summary>The part of <see cref="Aic"/> that does not depend on μ (log binomial coefficients, log y!): computed once per fit.</summary>
    internal virtual double AicConstant(ReadOnlySpan<double> y, ReadOnlySpan<double> trials, ReadOnlySpan<double> weights) => 0;

    /// <summary>The part of <see cref="Aic"/> that depends on μ (and the deviance).</summary>
    internal abstract double AicVariable(ReadOnlySpan<double> y, ReadOnlySpan<double> trials, ReadOnlySpan<double> mu, ReadOnlySpan<double> weights, double deviance);

    /// <summary>R's <c>mustart</c> from <c>family$initialize</c>.</summary>
    public abstract double StartingMean(double y, double weight);

    /// <summary>Whether μ lies in the family's range (R's <c>validmu</c>).</summary>
    public virtual bool ValidMu(double mu) => double.IsFinite(mu);

    /// <summary>Null when every response value is valid for the family; otherwise what is wrong, as R says it.</summary>
    public abstract string? CheckResponse(ReadOnlySpan<double> y);

    /// <summary>
    /// For each observation: μ and dμ/dη from η, the working weight w·(dμ/dη)²/V(μ), the working response
    /// η − offset + (y − μ)/(dμ/dη) and the deviance residual dᵢ. Returns Σ dᵢ, or +∞ when some η or μ is invalid.
    /// The PIRLS inner loop; families override it with fused code for their canonical links.
    /// </summary>
    internal virtual double UpdateWorking(ReadOnlySpan<double> eta, ReadOnlySpan<double> y, ReadOnlySpan<double> prior, ReadOnlySpan<double> offset,
        Span<double> mu, Span<double> muEta, Span<double> weight, Span<double> response, Span<double> deviance) =>
        UpdateWorkingByDefinition(eta, y, prior, offset, mu, muEta, weight, response, deviance);

    /// <summary><see cref="UpdateWorking"/> from the link's and family's own functions, observation by observation (what fused kernels fall back to).</summary>
    internal double UpdateWorkingByDefinition(ReadOnlySpan<double> eta, ReadOnlySpan<double> y, ReadOnlySpan<double> prior, ReadOnlySpan<double> offset,
        Span<double> mu, Span<double> muEta, Span<double> weight, Span<double> response, Span<double> deviance)
    {
        var link = Link;
        double dev = 0;
        bool valid = true;
        for (int i = 0; i < eta.Length; i++)
        {
            double e = eta[i];
            if (!link.ValidEta(e)) valid = false;
            link.Evaluate(e, out double m, out double me);
            if (!ValidMu(m)) valid = false;
            mu[i] = m;
            muEta[i] = me;
            weight[i] = prior[i] * me * me / Variance(m);
            response[i] = e - offset[i] + (y[i] - m) / me;
            double d = DevianceResidual(y[i], m, prior[i]);
            deviance[i] = d;
            dev += d;
        }
        return valid && double.IsFinite(dev) ? dev : double.PositiveInfinity;
    }

    /// <summary>The canonical (default) link's name in R.</summary>
    public abstract string DefaultLink { get; }

    /// <summary>The links lme4 accepts with this family.</summary>
    public abstract IReadOnlyList<string> Links { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ( {Link.Name} )";

    /// <summary>The family R calls <paramref name="name"/> (case as R: <c>Gamma</c>; <c>gamma</c> is accepted) with a link (default: canonical).</summary>
    /// <exception cref="ArgumentException">An unknown family, or a link the family does not take; the message lists the choices.</exception>
    public static Family Create(string name, string? link = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        string canonical = name.Trim() switch
        {
            "binomial" => "binomial",
            "poisson" => "poisson",
            "Gamma" or "gamma" => "Gamma",
            "inverse.gaussian" or "inverse_gaussian" or "inversegaussian" => "inverse.gaussian",
            "gaussian" or "normal" => "gaussian",
            _ => throw new ArgumentException($"unknown family '{name}'; use one of {string.Join(", ", Names)}", nameof(name)),
        };
        string linkName = link?.Trim() ?? canonical switch
        {
            "binomial" => "logit",
            "poisson" => "log",
            "Gamma" => "inverse",
            "inverse.gaussian" => "1/mu^2",
            _ => "identity",
        };
        var l = Link.FromName(linkName)
            ?? throw new ArgumentException($"unknown link '{linkName}'; links: {string.Join(", ", Link.Names)}", nameof(link));
        Family f = canonical switch
        {
            "binomial" => new BinomialFamily(l),
            "poisson" => new PoissonFamily(l),
            "Gamma" => new GammaFamily(l),
            "inverse.gaussian" => new InverseGaussianFamily(l),
            _ => new GaussianFamily(l),
        };
        if (!f.Links.Contains(l.Name))
            throw new ArgumentException($"link \"{l.Name}\" not available for {f.Name} family; available links are {string.Join(", ", f.Links.Select(s => $"'{s}'"))}", nameof(link));
        return f;
    }

    /// <summary>The family names <see cref="Create"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["binomial", "poisson", "Gamma", "inverse.gaussian", "gaussian"];

    /// <summary>y log(y/μ), 0 at y = 0 (R's <c>y_log_y</c>).</summary>
    protected static double YLogY(double y, double mu) => y != 0 ? y * Math.Log(y / mu) : 0;
}

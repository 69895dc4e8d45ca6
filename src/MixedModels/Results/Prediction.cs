namespace MixedModels.Results;

/// <summary>Which interval a prediction carries.</summary>
public enum PredictionInterval
{
    /// <summary>No interval.</summary>
    None,
    /// <summary>An interval for the predicted mean (the uncertainty of β̂ and of the conditional modes used).</summary>
    Confidence,
    /// <summary>An interval for a new observation: the confidence variance plus σ² and, for random effects not conditioned on (unseen levels, excluded terms), their variance.</summary>
    Prediction,
}

/// <summary>The scale of a generalized model's predictions.</summary>
public enum PredictionScale
{
    /// <summary>The linear predictor η.</summary>
    Link,
    /// <summary>The mean μ = g⁻¹(η).</summary>
    Response,
}

/// <summary>Options of <see cref="LinearMixedModel.Predict(MixedModels.Data.Table, PredictOptions?)"/>.</summary>
public sealed record PredictOptions
{
    /// <summary>
    /// The grouping factors (lme4's group names, e.g. <c>Subject</c>, <c>cask:batch</c>) whose random effects the
    /// prediction conditions on. Null (default): all of them (lme4's default <c>re.form</c>); empty: none — the
    /// population-level prediction Xβ̂ (lme4's <c>re.form = NA</c>).
    /// </summary>
    public IReadOnlyCollection<string>? Groups { get; init; }

    /// <summary>The interval to compute (default none).</summary>
    public PredictionInterval Interval { get; init; } = PredictionInterval.None;

    /// <summary>The interval's level (default 0.95).</summary>
    public double Level { get; init; } = 0.95;

    /// <summary>For a generalized model: the linear predictor η (default, lme4's <c>type = "link"</c>) or the mean μ (<c>type = "response"</c>).</summary>
    public PredictionScale Scale { get; init; } = PredictionScale.Link;

    /// <summary>Population-level predictions (no random effects).</summary>
    public static PredictOptions Population { get; } = new() { Groups = [] };
}

/// <summary>One prediction.</summary>
/// <param name="Fit">The prediction: Xβ̂ (+ offset) plus the conditional modes of the levels conditioned on; NaN when a predictor is missing.</param>
/// <param name="FixedStandardError">The standard error of the fixed-effects part, √(x' Var(β̂) x).</param>
/// <param name="StandardError">The standard error behind the interval (NaN when no interval was asked for).</param>
/// <param name="Lower">Lower limit of the interval (NaN when none).</param>
/// <param name="Upper">Upper limit of the interval (NaN when none).</param>
/// <param name="NewLevels">The grouping factors conditioned on whose level in this row the fit has not seen (they contribute nothing).</param>
public sealed record Prediction(double Fit, double FixedStandardError, double StandardError, double Lower, double Upper, IReadOnlyList<string> NewLevels);

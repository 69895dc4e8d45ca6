namespace MixedModels.Inference;

/// <summary>A confidence interval for one parameter.</summary>
/// <param name="Parameter">lme4's name: <c>sd_(Intercept)|Subject</c>, <c>cor_Days.(Intercept)|Subject</c>, <c>sigma</c>, or a fixed effect.</param>
/// <param name="Estimate">The point estimate.</param>
/// <param name="Lower">Lower limit.</param>
/// <param name="Upper">Upper limit.</param>
public sealed record ConfidenceInterval(string Parameter, double Estimate, double Lower, double Upper);

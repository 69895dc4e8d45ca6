using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>Where nlme's numbers for an lme or gls fit differ from lme4's for the same model, in one place.</summary>
internal static class NlmeConventions
{
    /// <summary>The factor of nlme's covariance of β̂ over lme4's: n/(n − p) for an ML fit (σ̂² with n − p), 1 for REML.</summary>
    public static double CovarianceScale(LinearMixedModel model)
    {
        int n = model.Observations, p = model.FixedEffects.Count;
        return model.Reml ? 1 : (double)n / (n - p);
    }

    /// <summary>nlme's BIC: −2 logLik + npar log(n), with n − p for a REML fit.</summary>
    public static double Bic(LinearMixedModel model) =>
        Bic(model.LogLikelihood, model.ParameterCount, model.Observations, model.FixedEffects.Count, model.Reml);

    /// <summary>nlme's BIC from a log-likelihood, npar, n and p.</summary>
    public static double Bic(double logLik, int parameters, int n, int p, bool reml) => -2 * logLik + parameters * Math.Log(reml ? n - p : n);

    /// <summary>
    /// The random-effects terms as nlme's grouping levels, from the outermost (fewest groups) in: the terms of each
    /// grouping factor (several for pdDiag's independent columns, lme4's <c>(x || g)</c>), its own factor's name
    /// (<c>cask</c> of lme4's <c>cask:batch</c>) and its number of groups.
    /// </summary>
    public static IReadOnlyList<NlmeLevel> Levels(LinearMixedModel model)
    {
        var terms = model.Design.RandomTerms;
        return Enumerable.Range(0, terms.Count)
            .GroupBy(j => terms[j].GroupName)
            .Select(g =>
            {
                string name = g.Key;
                int colon = name.IndexOf(':');
                return new NlmeLevel([.. g], colon < 0 ? name : name[..colon], terms[g.First()].LevelCount);
            })
            .OrderBy(l => l.Levels).ToArray();
    }
}

/// <summary>One of nlme's grouping levels: the model's random-effects terms of one grouping factor, its name and number of groups.</summary>
internal sealed record NlmeLevel(int[] Terms, string Name, int Levels)
{
    /// <summary>The first (usually the only) term.</summary>
    public int Term => Terms[0];
}

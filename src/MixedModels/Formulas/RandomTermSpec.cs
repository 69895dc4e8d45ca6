namespace MixedModels.Formulas;

/// <summary>
/// One random-effects term after lme4's expansion of <c>||</c> and <c>/</c>: the model expression of its columns
/// (<c>1 + Days</c>) and its grouping factor (<c>Subject</c>, or <c>cask:batch</c> from <c>(1 | batch/cask)</c>).
/// </summary>
/// <param name="Model">The expression of the term's model columns (an intercept is implied unless removed with 0 or -1).</param>
/// <param name="Group">The grouping expression: a variable or an interaction of variables.</param>
/// <param name="Position">Position of the term in the formula text, for error messages.</param>
internal sealed record RandomTermSpec(Expr Model, Expr Group, int Position)
{
    /// <summary>The grouping factor's name as lme4 prints it (e.g. <c>Subject</c>, <c>cask:batch</c>).</summary>
    public string GroupName => Group.ToString();

    /// <summary>The term as lme4 writes it, e.g. <c>Days | Subject</c>.</summary>
    public override string ToString() => $"{Model} | {Group}";
}

using MixedModels.Formulas;
using Xunit;

namespace MixedModels.Tests.Formulas;

public sealed class ParserTests
{
    [Theory]
    [InlineData("Reaction~Days+(Days|Subject)", "Reaction ~ Days + (Days | Subject)")]
    [InlineData("y ~ x*z + I(x^2) + log(z)", "y ~ x * z + I(x^2) + log(z)")]
    [InlineData("y ~ a/b + c:d", "y ~ a/b + c:d")]
    [InlineData("y ~ (a + b + c)^2", "y ~ (a + b + c)^2")]
    [InlineData("y ~ -1 + x", "y ~ -1 + x")]
    [InlineData("y ~ poly(x,2,raw=TRUE)", "y ~ poly(x, 2, raw = TRUE)")]
    [InlineData("y ~ x + (1|a/b) + (x||c)", "y ~ x + (1 | a/b) + (x || c)")]
    [InlineData("y ~ `my var` + x.1", "y ~ `my var` + x.1")]
    [InlineData("y ~ I(x * 100000)", "y ~ I(x * 1e+05)")]
    [InlineData("y ~ a %in% b", "y ~ a %in% b")]
    public void DeparsesAsR(string input, string expected) => Assert.Equal(expected, Formula.Parse(input).ToString());

    [Theory]
    [InlineData("y ~ x + (1 | g", 14, "unbalanced '('")]
    [InlineData("y ~ x + 1 | g)", 13, "unbalanced ')'")]
    [InlineData("y ~ x $ z", 6, "unknown operator")]
    [InlineData("y ~ x + ( | g)", 10, "needs an expression before '|'")]
    [InlineData("y ~ x + 1 | g", 10, "outside parentheses")]
    [InlineData("~ x", 0, "no response")]
    [InlineData("y ~", 3, "expected a term after '~'")]
    [InlineData("y ~ x +", 7, "expected a term after '+'")]
    [InlineData("y x", 2, "unexpected 'x'")]
    [InlineData("y ~ x + 2", 8, "cannot be a term")]
    [InlineData("y ~ x:(1 | g)", 9, "only be added")]
    [InlineData("y ~ x ~ z", 6, "more than one '~'")]
    [InlineData("", 0, "empty")]
    [InlineData("y ~ (x + z", 10, "unbalanced '('")]
    [InlineData("y ~ f(x", 7, "unbalanced '('")]
    [InlineData("y ~ x + ()", 9, "empty parentheses")]
    public void SyntaxErrorsNameThePosition(string formula, int position, string message)
    {
        var e = Assert.Throws<FormulaException>(() => Formula.Parse(formula));
        Assert.Equal(position, e.Position);
        Assert.Contains(message, e.Message);
        Assert.EndsWith(new string(' ', position) + "^", e.Display);
    }

    [Fact]
    public void PrecedenceFollowsR()
    {
        var f = Formula.Parse("y ~ -a:b + c*d^2");
        var rhs = Assert.IsType<BinaryExpr>(f.RightHandSide);
        Assert.Equal("+", rhs.Op);
        var colon = Assert.IsType<BinaryExpr>(rhs.Left);
        Assert.Equal(":", colon.Op);
        Assert.IsType<UnaryExpr>(colon.Left);
        var right = Assert.IsType<BinaryExpr>(rhs.Right);
        Assert.Equal("*", right.Op);
        Assert.Equal("^", Assert.IsType<BinaryExpr>(right.Right).Op);
    }

    [Fact]
    public void BarAndSlashExpandAsLme4()
    {
        var f = Formula.Parse("y ~ x + (x || g) + (1 | a/b/c)");
        Assert.Equal(["1 | g", "0 + x | g", "1 | c:(b:a)", "1 | b:a", "1 | a"], f.RandomTerms.Select(t => t.ToString()));
        Assert.Equal("x", f.FixedPart!.ToString());
    }

    [Fact]
    public void DoubleBarWithInteractionsExpandsEveryTerm()
    {
        var f = Formula.Parse("y ~ 1 + (a * b || g)");
        Assert.Equal(["1 | g", "0 + a | g", "0 + b | g", "0 + a:b | g"], f.RandomTerms.Select(t => t.ToString()));
    }

    [Fact]
    public void RandomOnlyFormulaHasInterceptFixedPart()
    {
        var f = Formula.Parse("y ~ (1 | g)");
        Assert.Null(f.FixedPart);
        Assert.True(f.FixedTerms.Intercept);
        Assert.Equal(0, f.FixedTerms.Count);
        Assert.False(Formula.Parse("y ~ 0 + (1 | g)").FixedTerms.Intercept);
    }
}

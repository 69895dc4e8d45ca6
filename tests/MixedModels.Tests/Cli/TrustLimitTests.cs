using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace MixedModels.Tests.Cli;

/// <summary>
/// Formulas that used to abort the process (stack overflow, exit 134) or run for minutes and gigabytes (issue 10,
/// points 2 and 3) end with exit 1 and a message, quickly.
/// </summary>
public sealed class TrustLimitTests
{
    private static string[] Fit(string formula) => ["fit", "--data", "sleepstudy", "--formula", formula];

    private static string Repeat(string s, int n) => string.Concat(Enumerable.Repeat(s, n));

    [Fact]
    public void DeepParenthesesAreRefused() =>
        BadInputTests.AssertUserError(Fit("Reaction ~ " + Repeat("(", 6000) + "Days" + Repeat(")", 6000) + " + (1 | Subject)"), "more than 1000 deep");

    [Fact]
    public void ASumOfThousandsOfTermsIsRefused() =>
        BadInputTests.AssertUserError(Fit("Reaction ~ " + string.Join(" + ", Enumerable.Repeat("Days", 6000)) + " + (1 | Subject)"), "too deep");

    [Fact]
    public void ThousandsOfUnaryMinusSignsAreRefused() =>
        BadInputTests.AssertUserError(Fit("Reaction ~ " + Repeat("-", 8000) + "Days + (1 | Subject)"), "more than 1000 deep");

    [Fact]
    public void AHugeSumInsideIIsRefused() =>
        BadInputTests.AssertUserError(Fit("Reaction ~ I(" + string.Join(" + ", Enumerable.Repeat("Days", 20000)) + ") + (1 | Subject)"), "too deep");

    [Fact]
    public void NestedCallsAreRefused() =>
        BadInputTests.AssertUserError(Fit("Reaction ~ " + Repeat("abs(", 5000) + "Days" + Repeat(")", 5000) + " + (1 | Subject)"), "more than 1000 deep");

    [Fact]
    public void AHugePowerIsRsInvalidPower() =>
        BadInputTests.AssertUserError(Fit("Reaction ~ (a + b + c + d + e + f)^1000000000000 + (1 | Subject)"), "invalid power in formula");

    [Fact]
    public void ALargeValidPowerSaturates()
    {
        var (code, _, err) = CliTests.Run(Fit("Reaction ~ (Days + I(Days^2))^1000000 + (1 | Subject)"));
        Assert.True(code == 0, err);
    }

    [Fact]
    public void AnExpansionBeyondTheTermLimitIsRefusedBeforeItIsBuilt() =>
        BadInputTests.AssertUserError(Fit("Reaction ~ (" + string.Join(" + ", Enumerable.Range(0, 20).Select(i => $"x{i}")) + ")^20 + (1 | Subject)"), "more than 10000 terms");

    [Fact]
    public void APolynomialDegreeIsCheckedBeforeAnythingOfItsSizeIsMade()
    {
        BadInputTests.AssertUserError(Fit("Reaction ~ poly(Days, 1e9) + (1 | Subject)"), "must be less than the number of unique points (10)");
        BadInputTests.AssertUserError(Fit("Reaction ~ poly(Days, 12000000, raw = TRUE) + (1 | Subject)"), "must be less than the number of unique points");
        BadInputTests.AssertUserError(Fit("Reaction ~ poly(Days, 1e12) + (1 | Subject)"), "whole number");
    }

    /// <summary>Random deep and wide formulas: the CLI answers with exit 0 or 1, never anything else.</summary>
    [Fact]
    public void RandomDeepOrHugeFormulasEndInAResultOrAUserError()
    {
        var wrappers = Gen.Elements("(", "abs(", "-", "I(", "log(");
        var cases =
            from wrap in wrappers
            from depth in Gen.Choose(1, 4000)
            from width in Gen.Choose(1, 3000)
            from op in Gen.Elements("+", "*", ":", "-")
            select (wrap, depth, width, op);
        Prop.ForAll(Arb.From(cases), c =>
        {
            string close = c.wrap == "-" ? "" : ")";
            string inner = string.Join($" {c.op} ", Enumerable.Repeat("Days", c.width));
            string formula = "Reaction ~ " + Repeat(c.wrap, c.depth) + "(" + inner + ")" + Repeat(close, c.depth) + " + (1 | Subject)";
            var (code, _, err) = CliTests.Run(Fit(formula));
            return (code == 0 || code == 1) && !err.Contains("   at ");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(25));
    }
}

using MixedModels.Data;
using MixedModels.Formulas;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Reporting;

public sealed class SummaryFormattingTests
{
    private const string Long = "MathAch ~ SES + MEANSES + Sector + Sex + Minority + Size + PRACAD + DISCLIM + HIMINTY + SES:Sector + (SES | School)";

    [Fact]
    public void LongFormulasBreakAsRsDeparse() =>
        // R 4.2: deparse(formula) of this formula.
        Assert.Equal(["MathAch ~ SES + MEANSES + Sector + Sex + Minority + Size + PRACAD + ", "    DISCLIM + HIMINTY + SES:Sector + (SES | School)"],
            Formula.Parse(Long).DeparsedLines());

    [Fact]
    public void LongFormulaLineInTheSummaryIsLme4s()
    {
        var m = LinearMixedModel.Fit(Long, Datasets.Load("hsb"), dataName: "hsb");
        var lines = m.Summary(MixedModels.Inference.DdfMethod.None).Split('\n');
        // lme4 1.1-31 prints (note the two spaces before the break, from cat(fill = TRUE)):
        Assert.Equal("Formula: MathAch ~ SES + MEANSES + Sector + Sex + Minority + Size + PRACAD +  ", lines[1]);
        Assert.Equal("    DISCLIM + HIMINTY + SES:Sector + (SES | School)", lines[2]);
        Assert.Equal("   Data: hsb", lines[3]);
    }

    [Fact]
    public void ShortFormulasStayOnOneLine() =>
        Assert.Equal(["Reaction ~ Days + (Days | Subject)"], Formula.Parse("Reaction~Days+(Days|Subject)").DeparsedLines());
}

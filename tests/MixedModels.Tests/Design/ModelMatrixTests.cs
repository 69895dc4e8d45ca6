using System.Text.Json;
using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Formulas;
using Xunit;

namespace MixedModels.Tests.Design;

/// <summary>
/// Term labels, intercept and model matrices (names and values) against R's terms() and model.matrix() for 41
/// formulas on a synthetic data set (tools/terms-reference.R): interactions, nesting, powers, deletion, %in%,
/// no intercept, treatment and polynomial contrasts, poly(), scale(), factor(), ordered(), offset(), I().
/// </summary>
public sealed class ModelMatrixTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Reference");

    public static IEnumerable<object[]> Cases() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "r-terms.json"))).RootElement.EnumerateArray()
            .Select(c => new object[] { c.GetProperty("formula")[0].GetString()! });

    private static Table Data() => Table.ReadCsv(Path.Combine(Dir, "terms-data.csv"))
        .AsFactor("o", ["lo", "mid", "hi"], ordered: true);

    private static JsonElement Case(string formula) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "r-terms.json"))).RootElement.EnumerateArray()
            .First(c => c.GetProperty("formula")[0].GetString() == formula);

    [Theory]
    [MemberData(nameof(Cases))]
    public void TermsAndModelMatrixMatchR(string formulaText)
    {
        var expected = Case(formulaText);
        var formula = Formula.Parse(formulaText);
        var labels = expected.GetProperty("labels").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(labels, formula.FixedTerms.Labels);
        Assert.Equal(expected.GetProperty("intercept")[0].GetBoolean(), formula.FixedTerms.Intercept);

        var frame = ModelFrame.Create(formula, Data());
        var m = ModelMatrixBuilder.Build(formula.FixedTerms, frame.Variable, frame.RowCount, new Dictionary<string, ContrastKind>(), formulaText);
        var columns = expected.GetProperty("columns").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(columns, m.Names);
        var values = expected.GetProperty("values").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(values.Length, m.Data.Length);
        for (int i = 0; i < values.Length; i++)
            Assert.True(Math.Abs(values[i] - m.Data[i]) <= 1e-10 * Math.Max(1, Math.Abs(values[i])),
                $"{formulaText}: element {i} of column {m.Names[i / m.Rows]}: {m.Data[i]:R} vs R {values[i]:R}");
    }
}

using System.Text.Json;
using MixedModels.Data;
using MixedModels.Results;
using MixedModels.Tests.Cli;
using MixedModels.Tests.Reference;
using Xunit;

namespace MixedModels.Tests.Data;

/// <summary>
/// Data preparation as courses do it (issue 15, part 1), against R (tools/reference-prep.R, Reference/prep/prep.json):
/// lmer's subset =, na.strings / na_if, complete cases of two models, and the order of text levels.
/// </summary>
public sealed class PreparationTests
{
    private static readonly JsonElement Ref =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceRecord.Directory("prep"), "prep.json"))).RootElement;

    private static void Matches(string id, LinearMixedModel m)
    {
        var r = Ref.GetProperty(id);
        Assert.Equal(r.GetProperty("nobs").GetInt32(), m.Observations);
        double objective = r.GetProperty("objective").GetDouble();
        Assert.True(Math.Abs(m.Objective - objective) <= 1e-6 * Math.Abs(objective), $"{id}: {m.Objective} vs lme4 {objective}");
        foreach (var f in r.GetProperty("fixef").EnumerateObject())
            Assert.Equal(f.Value.GetDouble(), m.FixedEffects[f.Name].Estimate, 4);
    }

    [Fact]
    public void SubsetAsLmer()
    {
        var sleep = Datasets.Load("sleepstudy");
        Matches("subset_sleep", LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", sleep.Where("Days >= 2 & Subject != \"309\"")));
        var hsb = Datasets.Load("hsb");
        Matches("subset_hsb_in", LinearMixedModel.Fit("MathAch ~ SES + (1 | School)", hsb.Where("School %in% c(1224, 1462, 1477, 2458, 3088)")));
        Matches("subset_hsb_rows", LinearMixedModel.Fit("MathAch ~ SES + (1 | School)", hsb.Where("row_number() <= 550")));
        Assert.Equal(550, hsb.Where("seq_len(n()) <= 550").RowCount);
    }

    [Theory]
    [InlineData("Days > 2 | is.na(Days)", 126)]
    [InlineData("!(Days %in% c(0, 1))", 144)]
    [InlineData("Subject == 308", 10)]          // a number compared with a factor's text, as R's as.character
    [InlineData("Subject %in% c('308', \"309\")", 20)]
    [InlineData("Reaction / 2 > 150 && Days - 1 >= 0", 0)]
    [InlineData("-Days^2 >= -4", 54)]
    [InlineData("TRUE", 180)]
    [InlineData("NA", 0)]                       // NA rows are dropped, as R's subset drops them
    public void ConditionsFollowR(string condition, int expected)
    {
        var sleep = Datasets.Load("sleepstudy");
        int rows = sleep.Where(condition).RowCount;
        if (condition.Contains("&&")) expected = Enumerable.Range(0, sleep.RowCount).Count(i =>
            ((NumericColumn)sleep["Reaction"])[i] / 2 > 150 && ((NumericColumn)sleep["Days"])[i] >= 1);
        Assert.Equal(expected, rows);
    }

    [Theory]
    [InlineData("Dayz > 1", "did you mean 'Days'", 1)]
    [InlineData("Days >> 1", "unexpected '>'", 7)]
    [InlineData("Days = 1", "use '=='", 6)]
    [InlineData("Days + 1", "not TRUE/FALSE", 1)]
    [InlineData("mean(Days) > 1", "unknown function mean()", 1)]
    [InlineData("(Days > 1", "not closed", 1)]
    [InlineData("Subject + 1 > 2", "arithmetic on text", 1)]
    [InlineData("Days %like% 1", "%in%", 6)]
    public void BadConditionsNameTheProblemAndPosition(string condition, string message, int position)
    {
        var e = Assert.Throws<MixedModelsDataException>(() => Datasets.Load("sleepstudy").Where(condition));
        Assert.Contains(message, e.Message);
        Assert.Contains($"(at position {position} of the condition)", e.Message);
    }

    [Fact]
    public void DeepConditionsAreRefusedNotACrash()
    {
        string deep = new string('(', 5000) + "Days > 1" + new string(')', 5000);
        Assert.Contains("nests more than", Assert.Throws<MixedModelsDataException>(() => Datasets.Load("sleepstudy").Where(deep)).Message);
    }

    [Fact]
    public void TheCliReportsWhatTheSubsetKept()
    {
        var (code, output, error) = CliTests.Run("fit", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject)",
            "--subset", "Days >= 2 & Subject != \"309\"", "--format", "json");
        Assert.Equal(0, code);
        Assert.Contains("subset: 136 of 180 rows kept", error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(Ref.GetProperty("subset_sleep").GetProperty("objective").GetDouble(), json.GetProperty("objective").GetDouble(), 6);
        var (bad, _, message) = CliTests.Run("fit", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (1 | Subject)", "--subset", "Days > 100");
        Assert.Equal(1, bad);
        Assert.Contains("no row satisfies", message);
    }

    [Fact]
    public void MissingCodesAsNaStrings()
    {
        var (code, output, _) = CliTests.Run("fit", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (1 | Subject)", "--na", "Days=0", "--format", "json");
        Assert.Equal(0, code);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(162, json.GetProperty("nobs").GetInt32());
        Assert.Equal(Ref.GetProperty("na_days0").GetProperty("objective").GetDouble(), json.GetProperty("objective").GetDouble(), 6);
        // In a file, at read time: the codes never become levels, so a column with "." stays numeric.
        var table = Table.ReadCsv(new StringReader("y,x,g\n1,.,a\n2,88,b\n3,3,a\n"), new CsvOptions
        {
            MissingValues = ["", "NA", "NaN", "."],
            ColumnMissingValues = new Dictionary<string, IReadOnlyCollection<string>> { ["x"] = ["88"] },
        });
        var x = Assert.IsType<NumericColumn>(table["x"]);
        Assert.Equal(2, x.MissingCount());
        Assert.Contains("'z'", Assert.Throws<MixedModelsDataException>(() => Table.ReadCsv(new StringReader("y\n1\n"),
            new CsvOptions { ColumnMissingValues = new Dictionary<string, IReadOnlyCollection<string>> { ["z"] = ["1"] } })).Message);
        var recoded = Datasets.Load("hsb").WithMissing(["Public"], new Dictionary<string, IReadOnlyCollection<string>> { ["Size"] = ["842"] });
        Assert.Equal(["Catholic"], ((CategoricalColumn)recoded["Sector"]).Levels);
        Assert.Equal(Datasets.Load("hsb").Where("Size == 842").RowCount, recoded["Size"].MissingCount());
    }

    [Fact]
    public void CompleteCasesMakeModelsWithDifferentMissingnessComparable()
    {
        string file = Path.Combine(ReferenceRecord.Directory("prep"), "hsb_ses_missing.csv");
        string[] models = ["--formula", "MathAch ~ 1 + (1 | School)", "--formula", "MathAch ~ SES + (1 | School)"];
        var (refused, _, why) = CliTests.Run(["compare", "--data", file, "--factor", "School", .. models]);
        Assert.Equal(1, refused);
        Assert.Contains("rows", why);
        var (code, output, notes) = CliTests.Run(["compare", "--data", file, "--factor", "School", "--complete-cases", "--format", "json", .. models]);
        Assert.Equal(0, code);
        var r = Ref.GetProperty("complete_cases");
        Assert.Contains($"complete cases: {r.GetProperty("nobs").GetInt32()} of 7185 rows", notes);
        var rows = JsonDocument.Parse(output).RootElement;
        Assert.Equal(r.GetProperty("loglik")[1].GetDouble(), rows[1].GetProperty("loglik").GetDouble(), 5);
        Assert.Equal(r.GetProperty("chisq").GetDouble(), rows[1].GetProperty("chisq").GetDouble(), 4);
        var (v, variance, _) = CliTests.Run(["variance", "--data", file, "--factor", "School", "--formula", "MathAch ~ SES + (1 | School)",
            "--base", "MathAch ~ 1 + (1 | School)", "--complete-cases"]);
        Assert.Equal(0, v);
        Assert.Contains("School", variance);
    }

    [Fact]
    public void LevelOrderOrdinalByDefaultAndRsLocaleOnRequest()
    {
        var c = Ref.GetProperty("collation");
        var labels = c.GetProperty("labels").EnumerateArray().Select(e => e.GetString()!).ToArray();
        string csv = "g\n" + string.Join("\n", labels) + "\n";
        var ordinal = (CategoricalColumn)Table.ReadCsv(new StringReader(csv))["g"];
        Assert.Equal(c.GetProperty("sorted_c").EnumerateArray().Select(e => e.GetString()), ordinal.Levels);
        var locale = (CategoricalColumn)Table.ReadCsv(new StringReader(csv), new CsvOptions { Collation = Collation.Locale })["g"];
        Assert.Equal(c.GetProperty("sorted").EnumerateArray().Select(e => e.GetString()), locale.Levels);
        Assert.Equal(locale.Levels, ((CategoricalColumn)Table.ReadCsv(new StringReader(csv)).WithCollation(Collation.Locale)["g"]).Levels);
    }

    [Fact]
    public void TheCliSaysWhichReferenceLevelTheOrderGives()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "y,x,g\n1,1,alpha\n2,2,Beta\n3,3,beta\n4,1,alpha\n5,2,Beta\n7,3,beta\n6,1,beta\n8,2,alpha\n");
            var (code, _, notes) = CliTests.Run("fit", "--data", path, "--formula", "y ~ g + (1 | x)");
            Assert.Equal(0, code);
            Assert.Contains("reference level is 'Beta'", notes);
            Assert.Contains("sorts 'alpha' first", notes);
            var (_, text, quiet) = CliTests.Run("fit", "--data", path, "--formula", "y ~ g + (1 | x)", "--collation", "locale");
            Assert.DoesNotContain("reference level", quiet);
            Assert.Contains("gbeta", text);
            Assert.Contains("gBeta", text);
            Assert.DoesNotContain("galpha", text);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void HeadShowsTheFirstRows()
    {
        var (code, output, _) = CliTests.Run("head", "--data", "sleepstudy", "--subset", "Days >= 8", "-n", "3", "--format", "csv");
        Assert.Equal(0, code);
        var lines = output.Trim().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal(",Reaction,Days,Subject", lines[0]);
        Assert.StartsWith("1,430.5853,8,308", lines[1]);
        var (show, text, _) = CliTests.Run("datasets", "show", "hsb", "--head", "2");
        Assert.Equal(0, show);
        Assert.Contains("2 of 7185 rows", text);
    }
}

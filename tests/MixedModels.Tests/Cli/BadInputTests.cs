using System.Security.Cryptography;
using MixedModels.Estimation;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Cli;

/// <summary>
/// Every mistake a user can make with a formula, a data file or a fit, run through the CLI as a user would: exit code 1,
/// a message that names the problem, and never a stack trace or an internal-error report.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mixed-bad-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Csv(string text, string name = "data.csv")
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Exit code 1, "error: " with the expected words, and no stack trace or internal-error report.</summary>
    internal static void AssertUserError(string[] args, params string[] expected)
    {
        var (code, output, err) = CliTests.Run(args);
        Assert.True(code == 1, $"exit code {code}; stdout: {output}; stderr: {err}");
        Assert.StartsWith("error: ", err);
        foreach (var e in expected) Assert.Contains(e, err);
        Assert.DoesNotContain("   at ", err);
        Assert.DoesNotContain("Exception", err);
        Assert.DoesNotContain("internal error", err);
    }

    private static string[] Fit(string data, string formula) => ["fit", "--data", data, "--formula", formula];

    // ---- formulas ----

    [Theory]
    [InlineData("Reaction ~ Days + (Days | Subject", "unbalanced '('", "^")]
    [InlineData("Reaction ~ Days + Days | Subject)", "unbalanced ')'", "^")]
    [InlineData("Reaction ~ Days $ Subject", "unknown operator", "^")]
    [InlineData("Reaction ~ Days + ( | Subject)", "needs an expression before '|'", "^")]
    [InlineData("Reaction ~ Days + 1 | Subject", "outside parentheses", "^")]
    [InlineData("~ Days + (1 | Subject)", "no response", "^")]
    [InlineData("Reaction ~ Dayz + (1 | Subject)", "there is no column 'Dayz'", "did you mean 'Days'?")]
    [InlineData("Reaction ~ frobnicate(Days) + (1 | Subject)", "frobnicate", "^")]
    [InlineData("Reaction ~ Days + (1 | Subjct)", "there is no column 'Subjct'", "did you mean 'Subject'?")]
    public void FormulaMistakes(string formula, string message, string detail) =>
        AssertUserError(Fit("sleepstudy", formula), message, detail);

    // ---- data files ----

    [Fact]
    public void MissingFile() => AssertUserError(Fit(Path.Combine(_dir, "nope.csv"), "y ~ x + (1 | g)"), "no such file");

    [Fact]
    public void DirectoryInsteadOfFile() => AssertUserError(Fit(_dir, "y ~ x + (1 | g)"), "is a directory");

    [Theory]
    [InlineData(new byte[] { (byte)'P', (byte)'K', 3, 4, 20, 0, 6, 0 }, "Excel workbook (.xlsx)")]
    [InlineData(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0 }, "gzip-compressed")]
    [InlineData(new byte[] { (byte)'y', (byte)',', 0, 1, 2, 3, 10 }, "not a text file")]
    public void BinaryFilesAreRefused(byte[] bytes, string message)
    {
        string path = Path.Combine(_dir, "data.csv");
        File.WriteAllBytes(path, bytes);
        AssertUserError(Fit(path, "y ~ x + (1 | g)"), message);
    }

    [Fact]
    public void EmptyFile() => AssertUserError(Fit(Csv(""), "y ~ x + (1 | g)"), "empty");

    [Fact]
    public void HeaderOnly() => AssertUserError(Fit(Csv("y,x,g\n"), "y ~ x + (1 | g)"), "no rows are left", "no rows");

    [Fact]
    public void RaggedRowNamesTheLine() =>
        AssertUserError(Fit(Csv("y,x,g\n1,2,a\n3,4\n"), "y ~ x + (1 | g)"), "line 3", "has 2 fields but the header has 3");

    [Fact]
    public void UnclosedQuote() =>
        AssertUserError(Fit(Csv("y,x,g\n1,2,\"a\n3,4,b\n"), "y ~ x + (1 | g)"), "never closed", "line 2");

    [Fact]
    public void DuplicateColumnNames() => AssertUserError(Fit(Csv("y,x,x\n1,2,3\n"), "y ~ x + (1 | x)"), "'x' twice");

    private static string Rows(int n, Func<int, string> row) => string.Concat(Enumerable.Range(0, n).Select(i => row(i) + "\n"));

    [Fact]
    public void NonNumericValueInANumericColumn()
    {
        string text = "y,x,g\n" + Rows(40, i => $"{i % 7 + 0.5 * i},{(i == 17 ? "abc" : (i * 1.5).ToString(System.Globalization.CultureInfo.InvariantCulture))},g{i % 5}");
        AssertUserError(Fit(Csv(text), "y ~ x + (1 | g)"), "column 'x' looks numeric", "'abc'", "data row 18");
    }

    [Fact]
    public void InfiniteValue()
    {
        string text = "y,x,g\n" + Rows(40, i => $"{i % 7 + 0.5 * i},{(i == 9 ? "Inf" : i.ToString())},g{i % 5}");
        AssertUserError(Fit(Csv(text), "y ~ x + (1 | g)"), "'x' has an infinite value", "data row 10");
    }

    [Fact]
    public void CategoricalResponse()
    {
        string text = "y,x,g\n" + Rows(40, i => $"{(i % 2 == 0 ? "yes" : "no")},{i},g{i % 5}");
        AssertUserError(Fit(Csv(text), "y ~ x + (1 | g)"), "response 'y'", "categorical");
    }

    [Fact]
    public void GroupingFactorWithOneLevel()
    {
        string text = "y,x,g\n" + Rows(40, i => $"{i % 7 + 0.5 * i},{i},only");
        AssertUserError(Fit(Csv(text), "y ~ x + (1 | g)"), "'g' has only 1 level");
    }

    [Fact]
    public void GroupingFactorWithAsManyLevelsAsRows()
    {
        string text = "y,x,g\n" + Rows(40, i => $"{i % 7 + 0.5 * i},{i},g{i}");
        AssertUserError(Fit(Csv(text), "y ~ x + (1 | g)"), "must be < number of observations", "problems: g");
    }

    [Fact]
    public void EveryRowDroppedByMissingValues()
    {
        string text = "y,x,g\n" + Rows(40, i => i % 2 == 0 ? $"NA,{i},g{i % 5}" : $"{i},NA,g{i % 5}");
        AssertUserError(Fit(Csv(text), "y ~ x + (1 | g)"), "no rows are left", "every row has a missing value in at least one of: y, x");
    }

    [Fact]
    public void ConstantResponse()
    {
        string text = "y,x,g\n" + Rows(40, i => $"5,{i},g{i % 5}");
        AssertUserError(Fit(Csv(text), "y ~ x + (1 | g)"), "response 'y' is constant");
    }

    [Fact]
    public void ColumnOfMissingValues()
    {
        string text = "y,x,g\n" + Rows(40, i => $"{i % 7 + 0.5 * i},NA,g{i % 5}");
        AssertUserError(Fit(Csv(text), "y ~ x + (1 | g)"), "'x' has no values (missing on every row)");
    }

    // ---- options ----

    [Fact]
    public void NoDataGiven() => AssertUserError(["fit", "--formula", "y ~ x + (1 | g)"], "no data");

    [Fact]
    public void SqlWithoutConnection() => AssertUserError(["fit", "--sql", "SELECT 1", "--formula", "y ~ x + (1 | g)"], "--sql needs --connection");

    [Fact]
    public void DataAndSqlTogether() =>
        AssertUserError(["fit", "--data", "sleepstudy", "--connection", "Host=x", "--sql", "SELECT 1", "--formula", "y ~ x + (1 | g)"], "either --data or --connection");

    [Fact]
    public void UnknownBenchmark() => AssertUserError(["bench", "--only", "sleepstudyy"], "no benchmark 'sleepstudyy'", "sleepstudy");

    [Fact]
    public void UnknownDataSetToShow() => AssertUserError(["datasets", "show", "sleep"], "no embedded data set 'sleep'", "sleepstudy");

    // ---- fitting ----

    [Fact]
    public void EvaluationLimitIsReportedAndMarksTheFitNotConverged()
    {
        var m = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", MixedModels.Data.Datasets.Load("sleepstudy"),
            new FitOptions { Optimizer = new BobyqaOptions { MaxEvaluations = 12 } });
        Assert.False(m.Optimization.Converged);
        Assert.Equal(OptimizationStatus.MaxEvaluations, m.Optimization.Status);
        Assert.Contains(m.Warnings, w => w.Contains("stopped at the evaluation limit"));
        Assert.Contains("convergence code: 1 (stopped at the evaluation limit", m.Summary());
        var (code, json, _) = CliTests.Run("fit", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject)", "--format", "json",
            "--max-evaluations", "12");
        Assert.Equal(0, code);
        Assert.Contains("\"converged\": false", json);
        Assert.Contains("stopped at the evaluation limit", json);
    }

    [Fact]
    public void TheQuasiNewtonEvaluationLimitIsReportedAndMarksTheFitNotConverged()
    {
        var (code, json, _) = CliTests.Run("fit", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject)", "--format", "json",
            "--optimizer", "quasi-newton", "--max-evaluations", "4");
        Assert.Equal(0, code);
        Assert.Contains("\"converged\": false", json);
        Assert.Contains("\"optimizer\": \"quasi-newton\"", json);
        Assert.Contains("optimizer (quasi-Newton with the analytic gradient): stopped at the evaluation limit", json);
    }

    [Fact]
    public void TheOptimizerIsChosenByTheNumberOfParametersOrByName()
    {
        const string formula = "y ~ 1 + a + b + c + (1 + a + b + c | subj) + (1 + a + b + c | item)";
        var (code, json, _) = CliTests.Run("fit", "--data", "kb07like", "--formula", formula, "--format", "json");
        Assert.Equal(0, code);
        Assert.Contains("\"optimizer\": \"quasi-newton\"", json);
        Assert.DoesNotContain("\"gradients\": 0", json);
        (code, json, _) = CliTests.Run("fit", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject)", "--format", "json");
        Assert.Equal(0, code);
        Assert.Contains("\"optimizer\": \"bobyqa\"", json);
        Assert.Contains("\"gradients\": 0", json);
        (code, json, _) = CliTests.Run("fit", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject)", "--format", "json", "--optimizer", "quasi-newton");
        Assert.Equal(0, code);
        Assert.Contains("\"optimizer\": \"quasi-newton\"", json);
        Assert.Contains("\"converged\": true", json);
        (code, _, string err) = CliTests.Run("fit", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject)", "--optimizer", "newton");
        Assert.NotEqual(0, code);
        Assert.Contains("newton", err);
        (code, string output, err) = CliTests.Run("fit", "--data", "cbpp", "--formula", "cbind(incidence, size - incidence) ~ period + (1 | herd)", "--family", "binomial", "--optimizer", "quasi-newton");
        Assert.True(code != 0, output);
        Assert.Contains("--optimizer quasi-newton: chooses the optimizer of an lmer fit", err);
    }

    [Fact]
    public void SingularFitIsReported()
    {
        var (code, text, _) = CliTests.Run(Fit("dyestuff2", "Yield ~ 1 + (1 | Batch)"));
        Assert.Equal(0, code);
        Assert.Contains("boundary (singular) fit: see help('isSingular')", text);
    }

    [Fact]
    public void RankDeficientColumnsAreDroppedAndNamed()
    {
        string text = "y,x,x2,g\n" + Rows(40, i => $"{i % 7 + 0.5 * i},{i},{2 * i},g{i % 5}");
        var (code, output, _) = CliTests.Run(Fit(Csv(text), "y ~ x + x2 + (1 | g)"));
        Assert.Equal(0, code);
        Assert.Contains("fixed-effect model matrix is rank deficient so dropping 1 column / coefficient", output);
        Assert.Contains("x2", output);
    }

    [Fact]
    public void InputFilesAreOnlyRead()
    {
        string text = "y,x,g\n" + Rows(60, i => $"{i % 7 + 0.5 * i},{i % 10},g{i % 6}");
        string path = Csv(text);
        var stamp = File.GetLastWriteTimeUtc(path);
        byte[] hash = SHA256.HashData(File.ReadAllBytes(path));
        foreach (var args in new[] { Fit(path, "y ~ x + (1 | g)"), ["describe", "--data", path, "--group", "g"], ["report", "--data", path, "--formula", "y ~ x + (1 | g)", "--output", Path.Combine(_dir, "r.html")] })
            Assert.Equal(0, CliTests.Run(args).Code);
        Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(path)));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
    }
}

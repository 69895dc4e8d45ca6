using System.Text.Json;
using MixedModels.Cli;
using Xunit;

namespace MixedModels.Tests.Cli;

/// <summary>The `mixed` command run in-process: output, JSON and exit codes.</summary>
public sealed class CliTests
{
    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = MixedModels.Cli.CommandLine.Create();
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliRunner.Run(root, args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void FitPrintsLme4Summary()
    {
        var (code, text, _) = Run("fit", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject)", "--ddf", "none");
        Assert.Equal(0, code);
        Assert.Contains("REML criterion at convergence: 1743.6", text);
        Assert.Contains("Days          10.467      1.546   6.771", text);
        var (_, withDf, _) = Run("fit", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject)");
        Assert.Contains("t-tests use Satterthwaite's method", withDf);
        Assert.Contains("Days          10.467      1.546  17.000   6.771 3.26e-06 ***", withDf);
        var (_, kr, _) = Run("fit", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject)", "--ddf", "kenward-roger");
        Assert.Contains("t-tests use Kenward-Roger's method", kr);
    }

    [Fact]
    public void FitWritesJson()
    {
        var (code, text, _) = Run("fit", "--data", "dyestuff", "--formula", "Yield ~ 1 + (1 | Batch)", "--ml", "--format", "json");
        Assert.Equal(0, code);
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal("ML", json.GetProperty("method").GetString());
        Assert.Equal(30, json.GetProperty("nobs").GetInt32());
        Assert.Equal(6, json.GetProperty("ngroups").GetProperty("Batch").GetInt32());
        Assert.Equal(327.3270598811, json.GetProperty("objective").GetDouble(), 6);
        Assert.Equal("sd__Observation", json.GetProperty("ran_pars")[1].GetProperty("term").GetString());
        Assert.Equal(6, json.GetProperty("ranef").GetArrayLength());
    }

    [Fact]
    public void FitReadsACsvFileWithFactorAndOrderedOptions()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mixed-cli-{Guid.NewGuid():N}.csv");
        var t = MixedModels.Data.Datasets.Load("prepost");
        using (var w = new StreamWriter(path)) t.WriteCsv(w);
        try
        {
            var (code, text, err) = Run("fit", "--data", path, "--factor", "id", "--factor", "group", "--ordered", "time=pre,post",
                "--formula", "score ~ group * time + EM + (1 | id)");
            Assert.True(code == 0, err);
            Assert.Contains("group1:time.L", text);
            Assert.Contains("Number of obs: 188, groups:  id, 100", text);
            Assert.Contains("12 rows were removed for missing values", text);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void LevelsAndContrastsOptionsChangeTheCoding()
    {
        var (code, text, err) = Run("fit", "--data", "pastes", "--levels", "cask=c,b,a", "--contrasts", "cask=sum",
            "--formula", "strength ~ cask + (1 | batch)");
        Assert.True(code == 0, err);
        Assert.Contains("cask1", text);
        var (code2, text2, _) = Run("fit", "--data", "pastes", "--levels", "cask=c,b,a", "--formula", "strength ~ cask + (1 | batch)");
        Assert.Equal(0, code2);
        Assert.Contains("caskb", text2);
        Assert.Contains("caska", text2);
    }

    [Fact]
    public void UnknownContrastIsAUserError()
    {
        var (code, _, err) = Run("fit", "--data", "pastes", "--contrasts", "cask=weird", "--formula", "strength ~ cask + (1 | batch)");
        Assert.Equal(1, code);
        Assert.Contains("unknown coding 'weird'", err);
    }

    [Fact]
    public void BadFormulaIsAUserErrorWithACaret()
    {
        var (code, _, err) = Run("fit", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject");
        Assert.Equal(1, code);
        Assert.Contains("unbalanced '('", err);
        Assert.Contains("^", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void MissingFileIsAUserError()
    {
        var (code, _, err) = Run("fit", "--data", "/no/such/data.csv", "--formula", "y ~ x + (1 | g)");
        Assert.Equal(1, code);
        Assert.Contains("no such file", err);
    }

    [Fact]
    public void UnknownDataSetListsTheEmbeddedOnes()
    {
        var (code, _, err) = Run("fit", "--data", "sleep", "--formula", "y ~ x + (1 | g)");
        Assert.Equal(1, code);
        Assert.Contains("sleepstudy", err);
    }

    [Fact]
    public void DatasetsListsEveryEmbeddedDataSet()
    {
        var (code, text, _) = Run("datasets");
        Assert.Equal(0, code);
        foreach (var d in MixedModels.Data.Datasets.All) Assert.Contains(d.Name, text);
    }
}

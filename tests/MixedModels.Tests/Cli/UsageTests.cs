using MixedModels.Cli;
using Xunit;

namespace MixedModels.Tests.Cli;

/// <summary>A mistyped command line gets the error and one usage line; tables are sized for where they go.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData(new[] { "fit", "--bogus" }, "Unrecognized command or argument '--bogus'", "usage: mixed fit [options]")]
    [InlineData(new[] { "fit", "--data", "sleepstudy", "--nagq", "x" }, "'x'", "usage: mixed fit [options]")]
    [InlineData(new[] { "fitt" }, "'fitt'", "usage: mixed <command> [options]")]
    [InlineData(new[] { "datasets", "show" }, "", "usage: mixed datasets show")]
    public void AMistakeGivesTheErrorAndOneUsageLine(string[] args, string message, string usage)
    {
        var (code, output, error) = CliTests.Run(args);
        Assert.Equal(CliRunner.UserError, code);
        Assert.Equal("", output);
        Assert.Contains(message, error);
        Assert.Contains(usage, error);
        Assert.Contains("--help' for", error);
        Assert.DoesNotContain("Options:", error);
        Assert.DoesNotContain("Examples:", error);
        Assert.True(error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length <= 4, error);
    }

    [Fact]
    public void HelpAndVersionStillWork()
    {
        var (code, output, _) = CliTests.Run("fit", "--help");
        Assert.Equal(0, code);
        Assert.Contains("Options:", output);
        var (none, usage, _) = CliTests.Run();
        Assert.Equal(0, none);
        Assert.Contains("Commands:", usage);
        var (v, version, _) = CliTests.Run("--version");
        Assert.Equal(0, v);
        Assert.Matches(@"^\d+\.\d+\.\d+", version);
    }

    [Fact]
    public void RedirectedTablesAreNotWrapped()
    {
        // The test host's standard output is redirected, as a pipe or a file is.
        Assert.True(Console.IsOutputRedirected);
        Assert.Equal(TextTables.Unwrapped, TextTables.Width());
        var (code, output, _) = CliTests.Run("tidy", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject)");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.Equal(lines[0].Length, l.Length));   // one line per row: nothing wrapped
        Assert.True(lines[0].Length > 80);
    }
}

using MixedModels.Formatting;
using Xunit;

namespace MixedModels.Tests.Cli;

/// <summary>Control and escape sequences in data values and formulas reach the terminal escaped (issue 10, point 4).</summary>
public sealed class TerminalEscapeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mixed-escape-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void EscapesAreVisible()
    {
        Assert.Equal("a\\033[31mb", TerminalText.Escape("a\u001b[31mb"));
        Assert.Equal("x\\ry\\u202ez\\u009b", TerminalText.Escape("x\ry\u202ez\u009b"));
        Assert.Equal("tab\tand\nline", TerminalText.Escape("tab\tand\nline"));
        Assert.Equal("\\000\\177", TerminalText.Escape("\0\u007f"));
    }

    [Fact]
    public void ALevelWithAnEscapeSequenceIsShownEscaped()
    {
        string path = Path.Combine(_dir, "d.csv");
        File.WriteAllText(path, "y,g\n1,\u001b[2Jred\n2,b\n3,\u001b[2Jred\n5,b\n2,c\n4,c\n");
        var (code, text, err) = CliTests.Run("ranef", "--data", path, "--formula", "y ~ 1 + (1 | g)");
        Assert.True(code == 0, err);
        Assert.DoesNotContain('\u001b', text);
        Assert.Contains("\\033[2Jred", text);
    }

    [Fact]
    public void AFormulaWithAControlCharacterIsEscapedInTheError()
    {
        var (code, _, err) = CliTests.Run("fit", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (1 | Subj\u001b[31mect)");
        Assert.Equal(1, code);
        Assert.DoesNotContain('\u001b', err);
        Assert.Contains("\\033[31m", err);
    }

    [Fact]
    public void MarkupCharactersInAGroupNameAreNotMarkup()
    {
        string path = Path.Combine(_dir, "b.csv");
        File.WriteAllText(path, "y,g[\n1,a\n2,b\n3,a\n4,b\n");
        var (code, text, err) = CliTests.Run("describe", "--data", path, "--group", "g[");
        Assert.True(code == 0, err);
        Assert.Contains("g[", text);
        BadInputTests.AssertUserError(["describe", "--data", "sleepstudy", "--group", "g["], "there is no column 'g['");
    }
}

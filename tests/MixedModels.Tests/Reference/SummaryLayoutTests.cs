using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace MixedModels.Tests.Reference;

/// <summary>
/// Summary() against lme4's printed summary. Where the estimates agree to the printed digits the text must be
/// identical; where they differ in a last digit (two optima equal to ~1e-10 in the objective), every line must keep
/// lme4's layout (same words and columns; a column may be one digit wider or narrower when a last digit changes the
/// common format) and every number must agree to 1e-3 relative or one unit in the last printed digit. Our optimizer line says "bobyqa" where lme4 says "nloptwrap", and our rank-deficiency message
/// names the dropped columns after lme4's sentence.
/// </summary>
public sealed partial class SummaryLayoutTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Records() =>
        ReferenceRecord.FitIds("fits").Select(id => new object[] { "fits", id })
            .Concat(ReferenceRecord.FitIds("extra").Select(id => new object[] { "extra", id }));

    [GeneratedRegex(@"-?\d+(\.\d+)?(e[-+]\d+)?")]
    private static partial Regex NumberPattern();

    [Theory]
    [MemberData(nameof(Records))]
    public void SummaryHasLme4Layout(string set, string id)
    {
        var reference = ReferenceRecord.Load(set, id);
        var m = ReferenceFitTests.FitOf(reference);
        string ours = m.Summary();
        var candidates = new List<(string Name, string Text)> { ("lme4", reference.Root.GetProperty("lme4_summary").GetString()!) };
        if (set == "fits" && ReferenceRecord.Exists("tight", id))
            candidates.Add(("tight lme4 refit", ReferenceRecord.Load("tight", id).Root.GetProperty("lme4_summary").GetString()!));

        var failures = new List<string>();
        foreach (var (name, text) in candidates)
        {
            var problems = Compare(Lines(ours), Lines(Normalize(text)), out bool identical);
            if (problems.Count == 0)
            {
                output.WriteLine($"{set}/{id}: {(identical ? "identical to" : "same layout, numbers within a last digit of")} the {name} summary");
                return;
            }
            failures.Add($"against the {name} summary:\n  " + string.Join("\n  ", problems));
        }
        Assert.Fail($"{set}/{id}:\n{string.Join("\n", failures)}\n--- ours ---\n{ours}");
    }

    private static string Normalize(string lme4) => lme4.Replace("optimizer (nloptwrap)", "optimizer (bobyqa)");

    private static List<string> Lines(string s) => s.TrimEnd('\n', ' ').Split('\n').ToList();

    private static List<string> Compare(List<string> ours, List<string> theirs, out bool identical)
    {
        identical = ours.SequenceEqual(theirs);
        var problems = new List<string>();
        if (identical) return problems;
        // lme4 stops early on some models and then warns about convergence; those lines are optimizer-specific.
        int end = theirs.FindIndex(l => l.StartsWith("optimizer (", StringComparison.Ordinal));
        if (end >= 0) theirs = theirs[..end];
        end = ours.FindIndex(l => l.StartsWith("optimizer (", StringComparison.Ordinal));
        if (end >= 0) ours = ours[..end];
        if (ours.Count != theirs.Count) { problems.Add($"{ours.Count} lines, lme4 has {theirs.Count}"); return problems; }
        for (int i = 0; i < ours.Count; i++)
        {
            string a = ours[i], b = theirs[i];
            if (a == b) continue;
            if (b.StartsWith("fixed-effect model matrix is rank deficient", StringComparison.Ordinal) && a.StartsWith(b, StringComparison.Ordinal)) continue;
            if (Shape(a) != Shape(b))
            {
                problems.Add($"line {i + 1}: [{a}] vs [{b}]");
                continue;
            }
            var na = NumberPattern().Matches(a).Select(x => x.Value).ToList();
            var nb = NumberPattern().Matches(b).Select(x => x.Value).ToList();
            for (int k = 0; k < na.Count; k++)
                if (!Close(na[k], nb[k])) problems.Add($"line {i + 1}: {na[k]} vs {nb[k]} in [{b}]");
        }
        return problems;
    }

    /// <summary>The line with every number replaced by # and runs of spaces collapsed: what must not change.</summary>
    private static string Shape(string line) => Regex.Replace(NumberPattern().Replace(line, "#"), " +", " ").Trim();

    private static bool Close(string a, string b)
    {
        double x = double.Parse(a, CultureInfo.InvariantCulture), y = double.Parse(b, CultureInfo.InvariantCulture);
        int dot = b.IndexOf('.');
        double unit = dot < 0 ? 1 : Math.Pow(10, -(b.Length - dot - 1));
        return Math.Abs(x - y) <= Math.Max(1e-3 * Math.Abs(y), 1.01 * unit);
    }
}

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
public sealed class SummaryLayoutTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Records() =>
        ReferenceRecord.FitIds("fits").Select(id => new object[] { "fits", id })
            .Concat(ReferenceRecord.FitIds("extra").Select(id => new object[] { "extra", id }));

    [Theory]
    [MemberData(nameof(Records))]
    public void SummaryHasLme4Layout(string set, string id)
    {
        var reference = ReferenceRecord.Load(set, id);
        var m = ReferenceFitTests.FitOf(reference);
        string ours = m.Summary(MixedModels.Inference.DdfMethod.None);
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

    private static List<string> Lines(string s) => PrintedText.Lines(s);

    private static List<string> Compare(List<string> ours, List<string> theirs, out bool identical) => PrintedText.Compare(ours, theirs, out identical);
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace MixedModels.Tests.Reference;

/// <summary>
/// Compares printed output with R's: lines must match exactly, or keep R's layout (the same words and columns,
/// numbers replaced) with every number within 1e-3 relative or one unit of R's last printed digit. A column may be
/// one digit wider or narrower when a last digit changes R's common format.
/// </summary>
public static partial class PrintedText
{
    [GeneratedRegex(@"-?\d+(\.\d+)?(e[-+]\d+)?")]
    private static partial Regex NumberPattern();

    public static List<string> Lines(string s) => s.TrimEnd('\n', ' ').Split('\n').ToList();

    /// <summary>The differences (empty when the texts agree); <paramref name="identical"/> tells whether they are equal to the letter.</summary>
    public static List<string> Compare(List<string> ours, List<string> theirs, out bool identical) => Compare(ours, theirs, out identical, 0, 0);

    /// <summary>
    /// As <see cref="Compare(List{string}, List{string}, out bool)"/>, also accepting numbers within
    /// <paramref name="absolute"/> of R's and numbers that are both below <paramref name="tiny"/> (p-values far in
    /// the tail, where a 1e-4 change in a standard error moves the third digit).
    /// </summary>
    public static List<string> Compare(List<string> ours, List<string> theirs, out bool identical, double absolute, double tiny)
    {
        identical = ours.SequenceEqual(theirs);
        var problems = new List<string>();
        if (identical) return problems;
        // lme4 stops early on some models and then warns about convergence; those lines are optimizer-specific.
        int end = theirs.FindIndex(l => l.StartsWith("optimizer (", StringComparison.Ordinal));
        if (end >= 0) theirs = theirs[..end];
        end = ours.FindIndex(l => l.StartsWith("optimizer (", StringComparison.Ordinal));
        if (end >= 0) ours = ours[..end];
        if (ours.Count != theirs.Count) { problems.Add($"{ours.Count} lines, R has {theirs.Count}"); return problems; }
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
                if (!Close(na[k], nb[k], absolute, tiny)) problems.Add($"line {i + 1}: {na[k]} vs {nb[k]} in [{b}]");
        }
        return problems;
    }

    /// <summary>Fails with the list of differences unless <paramref name="ours"/> agrees with R's <paramref name="expected"/>.</summary>
    public static void AssertSameLayout(string expected, string ours)
    {
        var problems = Compare(Lines(ours), Lines(expected), out _);
        Xunit.Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n--- ours:\n" + ours + "\n--- R:\n" + expected);
    }

    /// <summary>The line with every number replaced by # and runs of spaces collapsed: what must not change.</summary>
    private static string Shape(string line) => Regex.Replace(NumberPattern().Replace(line, "#"), " +", " ").Trim();

    private static bool Close(string a, string b, double absolute, double tiny)
    {
        double x = double.Parse(a, CultureInfo.InvariantCulture), y = double.Parse(b, CultureInfo.InvariantCulture);
        if (Math.Abs(x - y) <= absolute || (Math.Abs(x) < tiny && Math.Abs(y) < tiny)) return true;
        int dot = b.IndexOf('.');
        int e = b.IndexOfAny(['e', 'E']);
        int last = e < 0 ? b.Length : e;
        double unit = dot < 0 ? 1 : Math.Pow(10, -(last - dot - 1));
        if (e >= 0) unit *= Math.Pow(10, int.Parse(b[(e + 1)..], CultureInfo.InvariantCulture));
        return Math.Abs(x - y) <= Math.Max(1e-3 * Math.Abs(y), 1.01 * unit);
    }
}

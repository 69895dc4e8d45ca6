using System.Text.Json;
using MixedModels.Data;
using MixedModels.Inference;
using MixedModels.Reporting;
using MixedModels.Results;
using MixedModels.Tests.Reference;
using Xunit;

namespace MixedModels.Tests.Reporting;

/// <summary>Tidy tables against broom.mixed 0.2.9.4's <c>tidy(m, conf.int = TRUE)</c> of lmerTest fits (tools/reference-tidy.R).</summary>
public sealed class TidyTableTests
{
    private static JsonElement Records() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceRecord.Directory("inference"), "tidy.json"))).RootElement;

    public static IEnumerable<object[]> Ids() => Records().EnumerateArray().Select(r => new object[] { r.GetProperty("id").GetString()! });

    private static string?[] NullableStrings(JsonElement e) => e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Null ? null : x.GetString()).ToArray();

    [Theory]
    [MemberData(nameof(Ids))]
    public void MatchesBroomMixed(string id)
    {
        var r = Records().EnumerateArray().Single(x => x.GetProperty("id").GetString() == id);
        var m = LinearMixedModel.Fit(r.GetProperty("formula").GetString()!, Datasets.Load(r.GetProperty("data").GetString()!.Replace(".csv", "")));
        var ddf = r.GetProperty("ddf").GetString() == "Kenward-Roger" ? DdfMethod.KenwardRoger : DdfMethod.Satterthwaite;
        var rows = TidyTable.Create(m, new TidyOptions { Ddf = ddf }).Rows;
        Assert.Equal(ReferenceRecord.Strings(r.GetProperty("effect")), rows.Select(x => x.Effect));
        Assert.Equal(NullableStrings(r.GetProperty("group")), rows.Select(x => x.Group));
        Assert.Equal(ReferenceRecord.Strings(r.GetProperty("term")), rows.Select(x => x.Term));
        (string Name, Func<TidyRow, double> Get, double Tol)[] columns =
        [
            ("estimate", x => x.Estimate, 1e-4), ("std_error", x => x.StdError, 1e-4), ("statistic", x => x.Statistic, 1e-4),
            ("df", x => x.Df, 1e-3), ("p_value", x => x.PValue, 1e-3), ("conf_low", x => x.ConfLow, 1e-4), ("conf_high", x => x.ConfHigh, 1e-4),
        ];
        foreach (var (name, get, tol) in columns)
        {
            var expected = ReferenceRecord.Numbers(r.GetProperty(name));
            for (int i = 0; i < rows.Count; i++)
            {
                double ours = get(rows[i]);
                if (double.IsNaN(expected[i])) { Assert.True(double.IsNaN(ours), $"{name}[{rows[i].Term}]: ours {ours}, broom NA"); continue; }
                // Correlations near 0 are compared on an absolute scale.
                double scale = rows[i].Term.StartsWith("cor__", StringComparison.Ordinal) ? 1 : Math.Abs(expected[i]);
                Assert.True(Math.Abs(ours - expected[i]) <= tol * scale, $"{name}[{rows[i].Term}]: ours {ours:R}, broom {expected[i]:R}");
            }
        }
    }

    [Fact]
    public void FormatsCarryTheSameRows()
    {
        var m = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", Datasets.Load("sleepstudy"));
        var t = TidyTable.Create(m);
        string csv = t.Format(TableFormat.Csv);
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal("effect,group,term,estimate,std.error,statistic,df,p.value,conf.low,conf.high", lines[0]);
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("fixed,,(Intercept),251.405104", lines[1]);
        Assert.Equal("ran_pars,Residual,sd__Observation," + m.Sigma.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + ",,,,,,", lines[6]);

        var json = JsonDocument.Parse(t.Format(TableFormat.Json)).RootElement;
        Assert.Equal(6, json.GetArrayLength());
        Assert.Equal(JsonValueKind.Null, json[0].GetProperty("group").ValueKind);
        Assert.Equal(m.FixedEffects[1].Estimate, json[1].GetProperty("estimate").GetDouble());
        Assert.True(json[1].GetProperty("p_value").GetDouble() < 1e-4);
        Assert.Equal(JsonValueKind.Null, json[3].GetProperty("std_error").ValueKind);
        Assert.Equal("cor__(Intercept).Days", json[3].GetProperty("term").GetString());

        var md = t.Format(TableFormat.Markdown).TrimEnd('\n').Split('\n');
        Assert.Equal("| effect | group | term | estimate | std.error | statistic | df | p.value | conf.low | conf.high |", md[0]);
        Assert.Equal("|:---|:---|:---|---:|---:|---:|---:|---:|---:|---:|", md[1]);
        Assert.Equal("| fixed |  | (Intercept) | 251.4 | 6.825 | 36.84 | 17 | <2e-16 | 237 | 265.8 |", md[2]);

        var text = t.Format(TableFormat.Text).Split('\n');
        Assert.StartsWith("effect    group     term", text[0]);
        Assert.Equal(7, text.Count(l => l.Length > 0));
    }

    [Fact]
    public void ProfileAndBootstrapIntervalsCoverTheRandomParameters()
    {
        var m = LinearMixedModel.Fit("Reaction ~ Days + (1 | Subject)", Datasets.Load("sleepstudy"));
        var profile = TidyTable.Create(m, new TidyOptions { Intervals = IntervalMethod.Profile }).Rows;
        var boot = TidyTable.Create(m, new TidyOptions { Intervals = IntervalMethod.Bootstrap, Replicates = 200, Seed = 5 }).Rows;
        var none = TidyTable.Create(m, new TidyOptions { Intervals = IntervalMethod.None, Ddf = DdfMethod.None }).Rows;
        foreach (var rows in new[] { profile, boot })
            foreach (var row in rows)
                Assert.True(row.ConfLow < row.Estimate && row.Estimate < row.ConfHigh, $"{row.Term}: [{row.ConfLow}, {row.ConfHigh}] around {row.Estimate}");
        Assert.All(none, row => Assert.True(double.IsNaN(row.ConfLow) && double.IsNaN(row.PValue)));
        Assert.All(none.Where(r => r.Effect == "fixed"), row => Assert.False(double.IsNaN(row.StdError)));
    }
}

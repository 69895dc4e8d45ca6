using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>A type III ANOVA table of the fixed-effect terms (lmerTest's <c>anova(model)</c>): one F test per term.</summary>
public sealed class AnovaTable
{
    private AnovaTable(DdfMethod method, IReadOnlyList<FTest> rows) { Method = method; Rows = rows; }

    /// <summary>How the denominator degrees of freedom were found.</summary>
    public DdfMethod Method { get; }

    /// <summary>One row per fixed-effect term, in formula order.</summary>
    public IReadOnlyList<FTest> Rows { get; }

    /// <summary>The table's heading as lmerTest prints it.</summary>
    public string Heading => $"Type III Analysis of Variance Table with {(Method == DdfMethod.KenwardRoger ? "Kenward-Roger's" : "Satterthwaite's")} method";

    /// <summary>The table as lmerTest prints it (heading, then R's print.anova layout).</summary>
    public override string ToString()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(Heading).Append('\n');
        var x = new double[Rows.Count, 6];
        for (int i = 0; i < Rows.Count; i++)
        {
            var r = Rows[i];
            x[i, 0] = r.SumSq; x[i, 1] = r.MeanSq; x[i, 2] = r.NumDf == 0 ? double.NaN : r.NumDf; x[i, 3] = r.DenDf; x[i, 4] = r.FValue; x[i, 5] = r.PValue;
        }
        Reporting.CoefficientTable.Print(sb, Rows.Select(r => r.Term).ToArray(), ["Sum Sq", "Mean Sq", "NumDF", "DenDF", "F value", "Pr(>F)"],
            x, 5, [], [4], [0, 1, 2, 3], hasPvalue: true, naPrint: "");
        return sb.ToString();
    }

    /// <summary>The table as text (lmerTest's printout) or as JSON, CSV or Markdown rows (term, sum_sq, mean_sq, num_df, den_df, f_value, p_value).</summary>
    public string Format(Reporting.TableFormat format)
    {
        if (format == Reporting.TableFormat.Text) return ToString();
        var table = new Reporting.ResultTable("term", "sum_sq", "mean_sq", "num_df", "den_df", "f_value", "p_value");
        table.PValueColumns.Add("p_value");
        foreach (var r in Rows) table.Add(r.Term, r.SumSq, r.MeanSq, r.NumDf, r.DenDf, r.FValue, r.PValue);
        return table.Write(format);
    }

    /// <summary>Tests every fixed-effect term with type III hypotheses.</summary>
    public static AnovaTable TypeIII(LinearMixedModel model, DdfMethod method = DdfMethod.Satterthwaite)
    {
        var hypotheses = TypeIIIContrasts.Build(model.Design);
        var rows = new List<FTest>();
        switch (method)
        {
            case DdfMethod.KenwardRoger:
            {
                var kr = KenwardRoger.Compute(model);
                foreach (var (term, l) in hypotheses) rows.Add(l.GetLength(0) == 0 ? Untestable(term) : kr.Test(l, term));
                break;
            }
            default:
            {
                var s = Satterthwaite.Compute(model);
                foreach (var (term, l) in hypotheses) rows.Add(l.GetLength(0) == 0 ? Untestable(term) : s.Test(l, term));
                method = DdfMethod.Satterthwaite;
                break;
            }
        }
        return new AnovaTable(method, rows.AsReadOnly());
    }

    /// <summary>A term with no estimable hypothesis (its columns were dropped as aliased): lmerTest prints its row empty.</summary>
    private static FTest Untestable(string term) => new(term, double.NaN, double.NaN, 0, double.NaN, double.NaN, double.NaN);
}

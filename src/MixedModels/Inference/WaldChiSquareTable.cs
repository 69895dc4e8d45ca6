using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>One term's Wald test: its coefficients jointly zero.</summary>
/// <param name="Term">The term (<c>(Intercept)</c>, <c>period</c>, <c>urban:livch</c>).</param>
/// <param name="ChiSquare">β_T' V_T⁻¹ β_T with V_T the term's block of the fixed effects' covariance.</param>
/// <param name="Df">The term's number of columns.</param>
/// <param name="PValue">P(χ²_Df ≥ ChiSquare).</param>
public sealed record WaldTest(string Term, double ChiSquare, int Df, double PValue);

/// <summary>
/// car's <c>Anova(m, type = 3)</c> of a glmer fit: a Wald χ² test per term (the intercept included) that the term's
/// coefficients are zero, with the contrasts the model was fitted with — the table <c>mixed anova --family</c> prints.
/// </summary>
public sealed class WaldChiSquareTable
{
    private WaldChiSquareTable(string response, IReadOnlyList<WaldTest> rows) { Response = response; Rows = rows; }

    /// <summary>The response, as car prints it.</summary>
    public string Response { get; }

    /// <summary>One row per term, in the model matrix's order.</summary>
    public IReadOnlyList<WaldTest> Rows { get; }

    /// <summary>The type III Wald tests of a generalized linear mixed model.</summary>
    public static WaldChiSquareTable TypeIII(GeneralizedLinearMixedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var x = model.Design.X;
        var v = model.FixedEffectsCovariance();
        var rows = new List<WaldTest>();
        foreach (var group in Enumerable.Range(0, x.Columns).GroupBy(j => x.Assign[j]))
        {
            var cols = group.ToArray();
            var block = new double[cols.Length, cols.Length];
            for (int a = 0; a < cols.Length; a++) for (int b = 0; b < cols.Length; b++) block[a, b] = v[cols[a], cols[b]];
            var inv = LinearAlgebra.SmallMatrix.InverseSpd(block);
            double chi2 = double.NaN;
            if (inv is not null)
            {
                chi2 = 0;
                for (int a = 0; a < cols.Length; a++)
                    for (int b = 0; b < cols.Length; b++) chi2 += model.FixedEffects[cols[a]].Estimate * inv[a, b] * model.FixedEffects[cols[b]].Estimate;
            }
            string term = group.Key == 0 ? "(Intercept)" : x.TermLabels[group.Key];
            rows.Add(new WaldTest(term, chi2, cols.Length, Probability.ChiSquareUpper(chi2, cols.Length)));
        }
        return new WaldChiSquareTable(model.Design.Formula.Response.ToString(), rows);
    }

    /// <summary>car's printout: "Analysis of Deviance Table (Type III Wald chisquare tests)", the response, Chisq, Df, Pr(>Chisq).</summary>
    public override string ToString()
    {
        var sb = new System.Text.StringBuilder("Analysis of Deviance Table (Type III Wald chisquare tests)\n\n");
        sb.Append("Response: ").Append(Response).Append('\n');
        var x = new double[Rows.Count, 3];
        for (int i = 0; i < Rows.Count; i++) { x[i, 0] = Rows[i].ChiSquare; x[i, 1] = Rows[i].Df; x[i, 2] = Rows[i].PValue; }
        Reporting.CoefficientTable.Print(sb, Rows.Select(r => r.Term).ToArray(), ["Chisq", "Df", "Pr(>Chisq)"], x, 5, [], [0], [1], hasPvalue: true, naPrint: "");
        return sb.ToString();
    }

    /// <summary>The table as text, or as JSON, CSV or Markdown rows (term, chisq, df, p_value).</summary>
    public string Format(Reporting.TableFormat format)
    {
        if (format == Reporting.TableFormat.Text) return ToString();
        var table = new Reporting.ResultTable("term", "chisq", "df", "p_value");
        table.PValueColumns.Add("p_value");
        foreach (var r in Rows) table.Add(r.Term, r.ChiSquare, r.Df, r.PValue);
        return table.Write(format);
    }
}

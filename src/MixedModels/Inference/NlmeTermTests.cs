using System.Globalization;
using System.Text;
using MixedModels.Design;
using MixedModels.Formatting;
using MixedModels.LinearAlgebra;
using MixedModels.Reporting;
using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>One row of nlme's <c>anova(m)</c>: a fixed-effects term's F test.</summary>
/// <param name="Term">The term (<c>(Intercept)</c>, <c>intervention</c>).</param>
/// <param name="NumDf">Its number of columns.</param>
/// <param name="DenDf">nlme's denominator df of the term (<see cref="NlmeDf.ComputeTerms(LinearMixedModel)"/>).</param>
/// <param name="FValue">The F statistic.</param>
/// <param name="PValue">Its upper-tail probability.</param>
public sealed record NlmeTermTest(string Term, int NumDf, int DenDf, double FValue, double PValue);

/// <summary>
/// nlme's <c>anova(m)</c> of one lme or gls fit: an F test per term of the fixed effects, sequential (each term after
/// the ones before it, nlme's default) or marginal (each term after all the others). With V = L'L (L lower
/// triangular, nlme's varFixFact) the fixed effects' covariance (nlme's, which for an ML fit uses σ̂²·n/(n − p)) and
/// c = L'⁻¹β̂, a term's sequential F is the mean of its entries of c²; its marginal F projects c on the span of L's
/// columns of the term.
/// </summary>
public sealed class NlmeTermTests
{
    private readonly bool _gls;

    private NlmeTermTests(IReadOnlyList<NlmeTermTest> rows, bool marginal, bool gls)
    {
        Rows = rows;
        Marginal = marginal;
        _gls = gls;
    }

    /// <summary>The rows, one per term in the formula's order.</summary>
    public IReadOnlyList<NlmeTermTest> Rows { get; }

    /// <summary>True for marginal tests (nlme's <c>type = "marginal"</c>).</summary>
    public bool Marginal { get; }

    /// <summary>The F tests of <paramref name="model"/>'s terms.</summary>
    public static NlmeTermTests Compute(LinearMixedModel model, bool marginal = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Compute(model, model.Design, marginal);
    }

    /// <summary>
    /// The F tests of a fit with nlme's variance function or correlation structure: β̂ and its covariance from the
    /// transformed model, the denominator df from the data's own design.
    /// </summary>
    public static NlmeTermTests Compute(NlmeModel model, bool marginal = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Compute(model.Transformed, model.Design, marginal);
    }

    private static NlmeTermTests Compute(LinearMixedModel model, ModelDesign design, bool marginal)
    {
        int n = model.Observations, p = model.FixedEffects.Count;
        if (p == 0) throw new ModelException("the model has no fixed effects to test");
        var v = model.FixedEffectsCovariance();
        double scale = NlmeConventions.CovarianceScale(model);
        for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) v[i, j] *= scale;
        // nlme's varFixFact: L lower triangular with V = L'L (σR⁻ᵀ for the QR factor R of X, so that c = L'⁻¹β̂ = Rβ̂/σ,
        // the scaled effects of the QR); U = L' is the upper factor of V = UU', the Cholesky factor of V with rows
        // and columns reversed.
        var reversed = new double[p, p];
        for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) reversed[i, j] = v[p - 1 - i, p - 1 - j];
        var lower = SmallMatrix.CholeskyLower(reversed) ?? throw new ModelException("the fixed effects' covariance matrix is not positive definite");
        var u = new double[p, p];
        for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) u[i, j] = lower[p - 1 - i, p - 1 - j];
        var beta = model.FixedEffects.Select(f => f.Estimate).ToArray();
        var c = new double[p];
        for (int i = p - 1; i >= 0; i--)
        {
            double s = beta[i];
            for (int k = i + 1; k < p; k++) s -= u[i, k] * c[k];
            c[i] = s / u[i, i];
        }
        var l = new double[p, p];
        for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) l[i, j] = u[j, i];
        var assign = model.Design.X.Assign;
        var labels = model.Design.X.TermLabels;
        var denominators = NlmeDf.ComputeTerms(design);
        var rows = new List<NlmeTermTest>();
        for (int t = 0; t < labels.Count; t++)
        {
            var cols = Enumerable.Range(0, p).Where(j => assign[j] == t).ToArray();
            if (cols.Length == 0) continue;
            double ss = marginal ? ProjectedSquares(l, c, cols) : cols.Sum(j => c[j] * c[j]);
            double f = ss / cols.Length;
            rows.Add(new NlmeTermTest(labels[t], cols.Length, denominators[t], f, Probability.FUpper(f, cols.Length, denominators[t])));
        }
        return new NlmeTermTests(rows.AsReadOnly(), marginal, model.Design.RandomTerms.Count == 0);
    }

    /// <summary>|Q₁'c|² for the QR factorization of L's columns <paramref name="cols"/> (nlme's qr.qty(qr(vFix[, cols]), c0)[1:k]).</summary>
    private static double ProjectedSquares(double[,] r, double[] c, int[] cols)
    {
        int p = c.Length;
        // Gram–Schmidt on the columns (modified, twice for stability): the squared length of c's projection.
        var basis = new List<double[]>();
        foreach (int j in cols)
        {
            var q = new double[p];
            for (int i = 0; i < p; i++) q[i] = r[i, j];
            for (int pass = 0; pass < 2; pass++)
                foreach (var b in basis)
                {
                    double d = 0;
                    for (int i = 0; i < p; i++) d += b[i] * q[i];
                    for (int i = 0; i < p; i++) q[i] -= d * b[i];
                }
            double norm = Math.Sqrt(q.Sum(x => x * x));
            if (norm == 0) continue;
            for (int i = 0; i < p; i++) q[i] /= norm;
            basis.Add(q);
        }
        double total = 0;
        foreach (var b in basis)
        {
            double d = 0;
            for (int i = 0; i < p; i++) d += b[i] * c[i];
            total += d * d;
        }
        return total;
    }

    /// <summary>The table as nlme prints it (F-values zapped, p-values to 4 decimals, 0 as &lt;.0001).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var f = RFormat.Format(RFormat.ZapSmall(Rows.Select(x => x.FValue).ToArray(), 7), 7);
        var p = RFormat.Format(Rows.Select(x => RFormat.Round(x.PValue, 4)).ToArray(), 7);
        // gls prints its single denominator df above the table instead of a column.
        if (_gls) sb.Append(CultureInfo.InvariantCulture, $"Denom. DF: {Rows[0].DenDf} \n");
        var columns = new List<string[]> { Rows.Select(x => x.NumDf.ToString(CultureInfo.InvariantCulture)).ToArray() };
        if (!_gls) columns.Add(Rows.Select(x => x.DenDf.ToString(CultureInfo.InvariantCulture)).ToArray());
        columns.Add(f);
        columns.Add(Rows.Select((x, i) => RFormat.Round(x.PValue, 4) == 0 ? "<.0001" : p[i]).ToArray());
        string[] headers = _gls ? ["numDF", "F-value", "p-value"] : ["numDF", "denDF", "F-value", "p-value"];
        var cells = new string[Rows.Count, headers.Length];
        for (int i = 0; i < Rows.Count; i++) for (int j = 0; j < headers.Length; j++) cells[i, j] = columns[j][i];
        TextMatrix.Print(sb, Rows.Select(x => x.Term).ToArray(), headers, cells, right: true);
        return sb.ToString();
    }

    /// <summary>The table as text, or as CSV, JSON or Markdown with the numbers unrounded.</summary>
    public string Format(TableFormat format)
    {
        if (format == TableFormat.Text) return ToString();
        var t = new ResultTable("term", "numDF", "denDF", "F.value", "p.value");
        t.PValueColumns.Add("p.value");
        foreach (var r in Rows) t.Add(r.Term, r.NumDf, r.DenDf, r.FValue, r.PValue);
        return t.Write(format);
    }
}

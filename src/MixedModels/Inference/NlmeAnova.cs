using System.Globalization;
using System.Text;
using MixedModels.Formatting;
using MixedModels.Reporting;
using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>One row of nlme's <c>anova(m1, m2, ...)</c>.</summary>
/// <param name="Label">The model's name (R prints the variable's).</param>
/// <param name="Model">Its position, from 1.</param>
/// <param name="Df">Its number of parameters (fixed effects, covariance parameters, σ).</param>
/// <param name="Aic">AIC = −2 logLik + 2 df.</param>
/// <param name="Bic">BIC = −2 logLik + df log n (n − p for REML fits, as nlme).</param>
/// <param name="LogLikelihood">The (REML or ML) log-likelihood as the model was fitted.</param>
/// <param name="Test">"i vs j" against the previous model; empty on the first row.</param>
/// <param name="LikelihoodRatio">2 |ΔlogLik| (NaN on the first row).</param>
/// <param name="PValue">The χ² p-value with |Δdf| degrees of freedom (NaN on the first row).</param>
public sealed record NlmeAnovaRow(string Label, int Model, int Df, double Aic, double Bic, double LogLikelihood, string Test,
    double LikelihoodRatio, double PValue);

/// <summary>
/// nlme's <c>anova(m1, m2, ...)</c> for gls and lme fits (<c>mixed compare</c> with nlme calls): the models in the
/// order given — not sorted, not refitted — each tested against the previous one by its likelihood ratio; REML fits
/// with different fixed effects draw nlme's warning.
/// </summary>
public sealed class NlmeAnova
{
    private NlmeAnova(IReadOnlyList<NlmeAnovaRow> rows, IReadOnlyList<string> warnings)
    {
        Rows = rows;
        Warnings = warnings;
    }

    /// <summary>The rows, in the order given.</summary>
    public IReadOnlyList<NlmeAnovaRow> Rows { get; }

    /// <summary>nlme's warnings (REML fits with different fixed effects, fits by different methods).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Compares fits (gls: no random effects; lme) to the same data, in this order.</summary>
    public static NlmeAnova Compare(IReadOnlyList<string> labels, IReadOnlyList<LinearMixedModel> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        return Compare(labels, models.Select(m => new Fit(m.Observations, m.Reml, m.FixedEffects.Names.ToArray(), m.ParameterCount, m.LogLikelihood, NlmeConventions.Bic(m))).ToArray());
    }

    /// <summary>
    /// Compares gls and lme fits with or without variance functions and correlation structures (each structure's
    /// parameters count in df) to the same data, in this order.
    /// </summary>
    public static NlmeAnova Compare(IReadOnlyList<string> labels, IReadOnlyList<NlmeModel> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        return Compare(labels, models.Select(m => new Fit(m.Observations, m.Reml, m.FixedEffects.Names.ToArray(), m.ParameterCount, m.LogLikelihood, m.Bic)).ToArray());
    }

    private sealed record Fit(int Observations, bool Reml, IReadOnlyList<string> FixedNames, int Df, double LogLikelihood, double Bic);

    private static NlmeAnova Compare(IReadOnlyList<string> labels, Fit[] models)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (models.Length < 2) throw new ArgumentException("give at least two models to compare", nameof(models));
        if (labels.Count != models.Length) throw new ArgumentException("give one label per model", nameof(labels));
        int n = models[0].Observations;
        if (models.Any(m => m.Observations != n)) throw new ModelException("all fitted objects must use the same number of observations (nlme)");
        var warnings = new List<string>();
        bool reml = models[0].Reml;
        if (models.Any(m => m.Reml != reml)) warnings.Add("Fitted objects with different estimation methods: the comparisons are not meaningful.");
        if (reml && models.Any(m => !m.FixedNames.SequenceEqual(models[0].FixedNames)))
            warnings.Add("Fitted objects with different fixed effects. REML comparisons are not meaningful.");
        var rows = new List<NlmeAnovaRow>();
        for (int i = 0; i < models.Length; i++)
        {
            var m = models[i];
            int df = m.Df;
            double ll = m.LogLikelihood;
            string test = "";
            double lr = double.NaN, p = double.NaN;
            // nlme tests a model against the previous one only when their numbers of parameters differ.
            if (i > 0 && df != rows[i - 1].Df)
            {
                var prev = rows[i - 1];
                test = $"{i} vs {i + 1}";
                lr = 2 * Math.Abs(ll - prev.LogLikelihood);
                p = Probability.ChiSquareUpper(lr, Math.Abs(df - prev.Df));
            }
            rows.Add(new NlmeAnovaRow(labels[i], i + 1, df, -2 * ll + 2 * df, m.Bic, ll, test, lr, p));
        }
        return new NlmeAnova(rows.AsReadOnly(), warnings.AsReadOnly());
    }

    /// <summary>The table as text (nlme's print) or as CSV, JSON or Markdown with the numbers unrounded.</summary>
    public string Format(TableFormat format)
    {
        if (format == TableFormat.Text) return ToString();
        var t = new ResultTable("model", "index", "df", "AIC", "BIC", "logLik", "test", "L.Ratio", "p.value");
        t.PValueColumns.Add("p.value");
        foreach (var r in Rows) t.Add(r.Label, r.Model, r.Df, r.Aic, r.Bic, r.LogLikelihood, r.Test, r.LikelihoodRatio, r.PValue);
        return t.Write(format);
    }

    /// <summary>The table as nlme prints it.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        // print.anova.lme: AIC, BIC, logLik and L.Ratio zapped and formatted together (a missing value as 0, then blank);
        // p-values rounded to 4 decimals, formatted together, 0 shown as <.0001.
        string[] Column(Func<NlmeAnovaRow, double> f)
        {
            var x = Rows.Select(f).ToArray();
            var zapped = RFormat.ZapSmall(x.Select(v => double.IsNaN(v) ? 0 : v).ToArray(), 7);
            var text = RFormat.Format(zapped, 7);
            return text.Select((t, i) => double.IsNaN(x[i]) ? "" : t).ToArray();
        }
        var aic = Column(r => r.Aic);
        var bic = Column(r => r.Bic);
        var ll = Column(r => r.LogLikelihood);
        var lr = Column(r => r.LikelihoodRatio);
        var rounded = Rows.Select(r => RFormat.Round(r.PValue, 4)).ToArray();
        var present = rounded.Where(v => !double.IsNaN(v)).ToArray();
        var formatted = RFormat.Format(present, 7);
        var pv = new string[rounded.Length];
        for (int i = 0, k = 0; i < rounded.Length; i++)
        {
            if (double.IsNaN(rounded[i])) { pv[i] = ""; continue; }
            pv[i] = rounded[i] == 0 ? "<.0001" : formatted[k];
            k++;
        }
        var cells = new string[Rows.Count, 8];
        for (int i = 0; i < Rows.Count; i++)
        {
            var r = Rows[i];
            cells[i, 0] = r.Model.ToString(CultureInfo.InvariantCulture);
            cells[i, 1] = r.Df.ToString(CultureInfo.InvariantCulture);
            cells[i, 2] = aic[i];
            cells[i, 3] = bic[i];
            cells[i, 4] = ll[i];
            cells[i, 5] = r.Test;
            cells[i, 6] = lr[i];
            cells[i, 7] = pv[i];
        }
        string[] columns = ["Model", "df", "AIC", "BIC", "logLik", "Test", "L.Ratio", "p-value"];
        if (Rows.All(r => r.Test.Length == 0))
        {
            // Every model has as many parameters as the first: nlme prints no test columns.
            var kept = new string[Rows.Count, 5];
            for (int i = 0; i < Rows.Count; i++) for (int j = 0; j < 5; j++) kept[i, j] = cells[i, j];
            cells = kept;
            columns = columns[..5];
        }
        TextMatrix.Print(sb, Rows.Select(r => r.Label).ToArray(), columns, cells, right: true);
        foreach (string w in Warnings) sb.Append("Warning: ").Append(w).Append('\n');
        return sb.ToString();
    }
}

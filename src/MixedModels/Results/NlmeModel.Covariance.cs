namespace MixedModels.Results;

public sealed partial class NlmeModel
{
    /// <summary>
    /// nlme's <c>getVarCov(fit)</c> of an lme fit: the random effects' covariance matrix D = σ̂²ΛΛ' of its single
    /// grouping level, on the columns' own scale (the variance component the summary prints).
    /// </summary>
    /// <exception cref="ModelException">A gls fit (no random effects), or several grouping levels (nlme: not implemented).</exception>
    public NlmeVarCov RandomEffectsCovariance()
    {
        var term = SingleTerm();
        var component = Transformed.VarianceComponents[0];
        int d = term.Dimension;
        var dm = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) dm[i * d + j] = component.Covariance(i, j);
        return new NlmeVarCov("random.effects", null, null, term.ColumnNames, dm);
    }

    /// <summary>
    /// nlme's <c>getVarCov(fit, individuals = k, type)</c>: for the k-th group (from 1; the k-th level of an lme fit's
    /// grouping factor, or the k-th correlation group of a gls fit) the conditional covariance of its errors σ̂² G C G
    /// (<paramref name="marginal"/> false) or the marginal covariance Z D Z' + σ̂² G C G. A gls fit has only the latter.
    /// </summary>
    /// <exception cref="ModelException">No such group; a gls fit without a grouped correlation structure; several grouping levels.</exception>
    public NlmeVarCov GroupCovariance(int individual, bool marginal = true)
    {
        if (Design.RandomTerms.Count == 0)
        {
            if (_cor is null) throw new ModelException("getVarCov of a gls fit is not implemented for uncorrelated errors (nlme)");
            if (_cor.GroupRows.Length == 1 && Options.Correlation!.Form.Groups.Count == 0)
                throw new ModelException("getVarCov of a gls fit is not implemented for correlation structures without a grouping factor (nlme)");
            if (individual < 1 || individual > _cor.GroupRows.Length)
                throw new ModelException($"individual {individual}: the correlation structure has groups 1 to {_cor.GroupRows.Length}");
            if (!marginal) throw new ModelException("a gls fit has only the marginal covariance (nlme's getVarCov.gls)");
            return new NlmeVarCov("marginal", null, null, null, Conditional(_cor.GroupRows[individual - 1]));
        }
        var term = SingleTerm();
        if (individual < 1 || individual > term.LevelCount)
            throw new ModelException($"individual {individual}: {term.GroupName} has levels 1 to {term.LevelCount}");
        var codes = term.CodesArray;
        var rows = Enumerable.Range(0, codes.Length).Where(r => codes[r] == individual - 1).ToArray();
        if (rows.Length == 0) throw new ModelException($"individual '{term.Levels[individual - 1]}' was not used in the fit (nlme)");
        var v = Conditional(rows);
        if (marginal)
        {
            int d = term.Dimension, m = rows.Length;
            var dm = InternalD(d);
            var z = term.ZArray;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++)
                {
                    double s = 0;
                    for (int a = 0; a < d; a++)
                        for (int b = 0; b < d; b++) s += z[rows[i] * d + a] * dm[a * d + b] * z[rows[j] * d + b];
                    v[i * m + j] += s;
                }
        }
        var names = Enumerable.Range(1, rows.Length).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new NlmeVarCov(marginal ? "marginal" : "conditional", term.GroupName, term.Levels[individual - 1], names, v);
    }

    /// <summary>
    /// nlme's <c>predict(fit, newdata, level = k)</c>: the fixed effects plus the random effects of the k outermost
    /// grouping levels (0: population; the number of levels: every random effect, the fitted values' level). A group
    /// the fit has not seen contributes nothing at its level, as lme4's predictions.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is negative or above the number of levels.</exception>
    public IReadOnlyList<Prediction> Predict(Data.Table newData, int level)
    {
        ArgumentNullException.ThrowIfNull(newData);
        var levels = Inference.NlmeConventions.Levels(Transformed);
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, levels.Count);
        var groups = levels.Take(level).SelectMany(l => l.Terms).Select(t => Design.RandomTerms[t].GroupName).Distinct().ToArray();
        return Transformed.Predict(newData, new PredictOptions { Groups = groups });
    }

    private Design.RandomEffectsTerm SingleTerm()
    {
        if (Design.RandomTerms.Count == 0) throw new ModelException("a gls fit has no random effects: ask for a group's marginal covariance");
        if (Design.RandomTerms.Count > 1) throw new ModelException("getVarCov is not implemented for multiple levels of nesting (nlme)");
        return Design.TermsArray[0];
    }

    /// <summary>
    /// D = σ̂² Λ Λ' of the single term (row-major d × d) in the term's internal coordinates — those of its Z rows, which
    /// centre a column far from zero (TermCentring) — so that Z D Z' is the marginal covariance.
    /// </summary>
    private double[] InternalD(int d)
    {
        var lambda = new double[d * d];
        for (int col = 0, k = 0; col < d; col++)
            for (int row = col; row < d; row++) lambda[row * d + col] = Transformed.Theta[k++];
        double s2 = Sigma * Sigma;
        var dm = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double s = 0;
                for (int c = 0; c < d; c++) s += lambda[i * d + c] * lambda[j * d + c];
                dm[i * d + j] = s2 * s;
            }
        return dm;
    }

    /// <summary>The correlation matrix of correlation group <paramref name="g"/> at the estimates (row-major m × m).</summary>
    private double[] CorrelationMatrix(int g)
    {
        int m = _cor!.GroupRows[g].Length;
        var c = new double[m * m];
        _cor.Fill(_structure.AsSpan(0, _cor.ParameterCount), g, c);
        return c;
    }

    /// <summary>σ̂² gᵢ gⱼ Cᵢⱼ over <paramref name="rows"/> (C block-diagonal over the correlation groups among them), row-major.</summary>
    private double[] Conditional(int[] rows)
    {
        int m = rows.Length;
        var v = new double[m * m];
        for (int i = 0; i < m; i++) v[i * m + i] = 1;
        if (_cor is not null)
        {
            var position = new Dictionary<int, int>();
            for (int i = 0; i < m; i++) position[rows[i]] = i;
            for (int g = 0; g < _cor.GroupRows.Length; g++)
            {
                var group = _cor.GroupRows[g];
                if (!position.ContainsKey(group[0])) continue;
                int k = group.Length;
                var c = CorrelationMatrix(g);
                for (int a = 0; a < k; a++)
                    for (int b = 0; b < k; b++) v[position[group[a]] * m + position[group[b]]] = c[a * k + b];
            }
        }
        double s2 = Sigma * Sigma;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) v[i * m + j] *= s2 * _sd[rows[i]] * _sd[rows[j]];
        return v;
    }
}

using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Formulas;

namespace MixedModels.Pushdown;

/// <summary>
/// Builds a linear mixed model's design from sums an engine computes where the data live (push-down), without
/// reading the rows: two queries (means and counts; per-cell sums of products), then the model's factors, contrasts,
/// levels and names from the table of cells through the same frame and model-matrix code as in memory, and per cell
/// at most as many rows as there are numeric pieces whose cross-products equal the cell's (<see cref="CellRows"/>).
/// Fitting the result gives the in-memory fit's objective, estimates, standard errors, conditional modes and
/// variances; what needs each observation (fitted values, residuals) is refused.
/// </summary>
public static class AggregatedDesign
{
    /// <summary>The design of <paramref name="formula"/> from the sums <paramref name="engine"/> computes.</summary>
    /// <param name="formula">An lme4 formula.</param>
    /// <param name="engine">Where the data are.</param>
    /// <param name="options">Design options: contrasts, prior weights (<c>Frame.Weights</c>); a linear mixed model only (no family but the Gaussian with the identity link; an offset is written in the formula).</param>
    public static ModelDesign Build(string formula, AggregateEngine engine, DesignOptions? options = null) =>
        BuildWithLayout(formula, engine, options).Design;

    /// <summary>The design and what a later pass over the observations needs to rebuild each row's linear predictor.</summary>
    internal static (ModelDesign Design, CellLayout Layout) BuildWithLayout(string formula, AggregateEngine engine, DesignOptions? options)
    {
        ArgumentNullException.ThrowIfNull(engine);
        options ??= new DesignOptions();
        if (options.Family is { } family && !(family.Name == "gaussian" && family.Link.Name == "identity"))
            throw new ModelException($"a generalized model ({family.Name}, link {family.Link.Name}) is not fitted from aggregates: load the rows (--engine memory)");
        if (options.Frame?.Offset is not null)
            throw new ModelException("an offset given beside the formula is not computed inside the engine yet: write offset(...) in the formula, or load the rows (--engine memory)");
        var f = Formula.Parse(formula);
        if (f.RandomTerms.Count == 0)
            throw new FormulaException(f.Text, f.Text.Length, "the formula has no random-effects terms such as (1 | group)");
        string? weights = options.Frame?.Weights;
        var plan = AggregatePlan.Create(f, engine, weights);

        var means = engine.Totals(plan.MeansQuery);
        double Value(string name) => ((NumericColumn)means[name])[0];
        double total = Value("n_all"), kept = Value("n_kept");
        if (weights is not null && Value("bad_weights") > 0)
            throw new ModelException($"weights = {weights}: {Value("bad_weights")} rows have a missing or negative weight; prior weights must be given and >= 0 on every row");
        if (kept == 0) throw new ModelException($"no rows are left to fit the model: {(total == 0 ? "the data have no rows" : "every row has a missing value in a variable of the model")}");
        if (kept > int.MaxValue) throw new ModelException($"{kept} complete rows: more than this version fits ({int.MaxValue})");
        int pieces = plan.Pieces.Length;
        var centres = new double[pieces + 1];
        for (int i = 0; i <= pieces; i++) centres[i] = Value("m" + i) / kept;
        var placeholderValues = plan.Placeholders.Select((_, j) => Value("m" + (pieces + 1 + j)) / kept).ToArray();
        double logWeights = weights is null ? 0 : Value("log_weights");

        var cells = engine.Cells(source => plan.CellsQuery(engine, centres, source), plan.Keys.Length);
        double counted = ((NumericColumn)cells["n_cell"]).Values.ToArray().Sum();
        if (counted != kept)
            throw new MixedModelsDataException($"the data changed while the model's sums were computed ({kept} complete rows, then {counted}): fit again when {engine.DataName} is not being written");
        var rows = new AggregatedRows((int)kept, (int)(total - kept), [], engine.Description, logWeights);
        return Assemble(plan, cells, centres, placeholderValues, rows, engine, options);
    }

    private static (ModelDesign, CellLayout) Assemble(AggregatePlan plan, Table cells, double[] centres, double[] placeholders, AggregatedRows counts,
        AggregateEngine engine, DesignOptions options)
    {
        var f = plan.Formula;
        int c = cells.RowCount, pieces = plan.Pieces.Length, s = plan.Products.Length + 1;
        int others = plan.KeyKinds.Count(k => k == AggregateEngine.KeyKind.Other);
        if (cells.Columns.Count != plan.Keys.Length + others + 1 + s * (s + 1) / 2) throw new InvalidOperationException("the cells query returned an unexpected shape");
        // The table of cells for the frame: the keys, and the other columns at their means (their values are not used).
        var columns = new List<Column>();
        for (int k = 0; k < plan.Keys.Length; k++) columns.Add(cells.Columns[k]);
        for (int j = 0; j < plan.Placeholders.Length; j++) columns.Add(new NumericColumn(plan.Placeholders[j], Enumerable.Repeat(placeholders[j], c).ToArray()));
        var state = new TransformState();
        foreach (var (call, constants) in plan.Transforms) state.Set(call, constants);
        var frame = ModelFrame.Create(f, new Table(columns), engine.DataName, new FrameOptions { Weights = options.Frame?.Weights }, state);
        if (frame.RowCount != c) throw new ModelException("a variable of the model is missing on some cells; load the rows (--engine memory) to fit this model");

        // Numeric pieces count 1 on every cell (their values are the cells' rows'); the rest is the cells' own values.
        VariableValue Lookup(Expr e) => plan.IsPiece(e) && frame.Variable(e) is NumericValue v
            ? new NumericValue(Enumerable.Repeat(1.0, c * v.Columns).ToArray(), v.Columns, v.Suffixes) : frame.Variable(e);
        var fixedCells = ModelMatrixBuilder.Build(f.FixedTerms, Lookup, c, options.Contrasts, f.Text);
        var fixedMonomials = Monomials(plan, f.FixedTerms, fixedCells);
        var randomCells = new List<(ModelMatrixBuilder.Result M, int[][] Monomials, string[] Levels, int[] Codes)>();
        for (int i = 0; i < f.RandomTerms.Count; i++)
        {
            var ts = frame.RandomModelTerms[i];
            var zc = ModelMatrixBuilder.Build(ts, Lookup, c, options.Contrasts, f.Text);
            var (levels, codes) = GroupingFactor.Build(frame.GroupComponents[i].Select(frame.GroupComponent).ToList());
            randomCells.Add((zc, Monomials(plan, ts, zc), levels, codes));
        }

        // Per cell, the rows that reproduce its sums.
        var sums = new NumericColumn[s * (s + 1) / 2];
        int col = plan.Keys.Length + 1;
        for (int a = 0; a < sums.Length; a++) sums[a] = (NumericColumn)cells.Columns[col + a];
        var rowSet = CellRowSet.Factor(sums, c, s);
        if (!(rowSet.ResponseSquares > 0)) throw new ModelException($"the response '{f.Response}' is constant; there is no variation to model");
        int m = rowSet.Count;
        var one = rowSet.Column(0);
        var y = rowSet.Column(s - 1);
        for (int r = 0; r < m; r++) y[r] += centres[pieces] * one[r];
        // Each monomial Π(x_v) on every row, from the centred products Π(x_v − m_v) of its subsets; once per monomial.
        var monomialValues = new Dictionary<string, double[]>(StringComparer.Ordinal);
        double[] MonomialValues(int[] mono)
        {
            string key = string.Join(",", mono);
            if (monomialValues.TryGetValue(key, out var known)) return known;
            var combination = new (int Product, double Coefficient)[1 << mono.Length];
            for (int mask = 0; mask < combination.Length; mask++)
            {
                var subset = mono.Where((_, i) => (mask & (1 << i)) != 0).ToArray();
                double coef = 1;
                for (int i = 0; i < mono.Length; i++) if ((mask & (1 << i)) == 0) coef *= centres[mono[i]];
                combination[mask] = (Array.FindIndex(plan.Products, p => p.SequenceEqual(subset)), coef);
            }
            return monomialValues[key] = rowSet.Monomial(combination);
        }
        ModelMatrixBuilder.Result Expand(ModelMatrixBuilder.Result cellMatrix, int[][] monomials)
        {
            var data = new double[m * cellMatrix.Columns];
            var cellOf = rowSet.Cell;
            for (int j = 0; j < cellMatrix.Columns; j++)
            {
                var mono = MonomialValues(monomials[j]);
                var constants = cellMatrix.Data.AsSpan(j * c, c);
                var column = data.AsSpan(j * m, m);
                for (int r = 0; r < m; r++) column[r] = constants[cellOf[r]] * mono[r];
            }
            return new ModelMatrixBuilder.Result(data, m, cellMatrix.Names, cellMatrix.Assign, cellMatrix.Numeric);
        }
        var x = Expand(fixedCells, fixedMonomials);
        var binary = new bool[fixedCells.Columns];
        for (int j = 0; j < binary.Length; j++)
            binary[j] = fixedMonomials[j].Length == 0 && fixedCells.Data.AsSpan(j * c, c).IndexOfAnyExcept(0.0, 1.0) < 0;
        var random = randomCells.Select(t => (Expand(t.M, t.Monomials), t.Levels, Array.ConvertAll(rowSet.Cell, cell => t.Codes[cell]))).ToList();
        var aggregated = counts with { Ones = one };
        var design = ModelDesign.Aggregate(frame, options, y, x, binary, random, aggregated);
        // Each key as the join matches it: numbers and text as they are, other types by the text the engine wrote.
        int other = 0;
        var joinKeys = plan.KeyKinds.Select((kind, k) => kind == AggregateEngine.KeyKind.Other ? cells.Columns[cells.Columns.Count - others + other++] : cells.Columns[k]).ToArray();
        var layout = new CellLayout(plan, joinKeys, fixedCells, fixedMonomials, randomCells.Select(t => (t.M, t.Monomials, t.Codes)).ToArray());
        return (design, layout);
    }

    /// <summary>Per column of a model matrix, the pieces its term multiplies (none for the intercept).</summary>
    private static int[][] Monomials(AggregatePlan plan, TermSet ts, ModelMatrixBuilder.Result m) =>
        m.Numeric.Select(parts => parts.Select(p => plan.PieceIndex(ts.Variables[p.Variable], p.Column)).Where(i => i >= 0).Order().ToArray()).ToArray();
}

using System.Text;
using MixedModels.Formulas;

namespace MixedModels.Pushdown;

/// <summary>
/// What a linear mixed model needs from the data, as queries an engine answers. The rows are split into cells: the
/// rows that share the value of every column a factor of the model is made of (grouping factors, categorical
/// covariates: the keys). Within a cell each column of X and Z is a constant (its factors' contrasts) times a
/// product of numeric variables (a monomial), so the cell's share of [Z X y]'[Z X y] follows from the sums of
/// products of those numeric variables over the cell's rows: one GROUP BY query over the keys. The numeric variables
/// are centred by their means (a first query) before products are summed, and the monomials are recovered exactly
/// from the centred products (each monomial's subsets are summed too).
/// </summary>
internal sealed class AggregatePlan
{
    private static readonly string[] FactorCalls = ["factor", "as.factor", "ordered", "as.ordered"];

    private AggregatePlan(Formula formula, string[] keys, (Expr, int)[] pieces, string[] pieceSql, string responseSql, int[][] products,
        string[] placeholders, string where, string? weightSql, IReadOnlyDictionary<string, object> transforms, AggregateEngine.KeyKind[] keyKinds)
    {
        WeightSql = weightSql;
        Transforms = transforms;
        KeyKinds = keyKinds;
        Formula = formula;
        Keys = keys;
        Pieces = pieces;
        PieceSql = pieceSql;
        ResponseSql = responseSql;
        Products = products;
        Placeholders = placeholders;
        Where = where;
    }

    public Formula Formula { get; }

    /// <summary>The columns grouped by: constant within a cell.</summary>
    public string[] Keys { get; }

    /// <summary>Per key, how its values are matched in a later join.</summary>
    public AggregateEngine.KeyKind[] KeyKinds { get; }

    /// <summary>The condition that joins a row (alias s) to its cell's row of a relation aliased c.</summary>
    public string CellJoin() => Keys.Length == 0 ? "TRUE" : string.Join(" AND ", Keys.Select((k, i) => KeyKinds[i] switch
    {
        AggregateEngine.KeyKind.Number => $"CAST(s.{AggregateEngine.Quote(k)} AS DOUBLE PRECISION) = c.\"mixed:k{i}\"",
        AggregateEngine.KeyKind.Text => $"s.{AggregateEngine.Quote(k)} = c.\"mixed:k{i}\"",
        _ => $"CAST(s.{AggregateEngine.Quote(k)} AS VARCHAR) = c.\"mixed:k{i}\"",
    }));

    /// <summary>The numeric variables' columns computed per row (the response excluded): the variable and which of its columns.</summary>
    public (Expr Variable, int Column)[] Pieces { get; }

    public string[] PieceSql { get; }

    public string ResponseSql { get; }

    /// <summary>The products of centred pieces whose sums are needed (each a sorted set of piece indices; the first is empty: 1).</summary>
    public int[][] Products { get; }

    /// <summary>The referenced non-key columns (given their mean in the table of cells, where they are not used as values).</summary>
    public string[] Placeholders { get; }

    /// <summary>The condition of a complete row (and, with weights, of a positive weight).</summary>
    public string Where { get; }

    /// <summary>The prior weights' SQL, or null.</summary>
    public string? WeightSql { get; }

    /// <summary>The constants of the <c>scale()</c> and <c>poly()</c> calls computed where the data live, by call text (as a frame's transform state holds them).</summary>
    public IReadOnlyDictionary<string, object> Transforms { get; }

    /// <summary>The index of column <paramref name="column"/> of a variable among the pieces, or −1 when the variable is constant within a cell.</summary>
    public int PieceIndex(Expr e, int column) => Array.FindIndex(Pieces, p => p.Column == column && p.Variable.ToString() == e.ToString());

    /// <summary>True when the variable is computed per row (not constant within a cell).</summary>
    public bool IsPiece(Expr e) => PieceIndex(e, 0) >= 0;

    public static AggregatePlan Create(Formula formula, AggregateEngine engine, string? weights)
    {
        string text = formula.Text;
        var columns = engine.Columns().ToDictionary(c => c.Name, StringComparer.Ordinal);
        SourceColumn Column(NameExpr n) => columns.TryGetValue(n.Name, out var c) ? c
            : throw new FormulaException(text, n.Start, $"'{n.Name}' is not a column of {engine.DataName} ({engine.Description}); its columns are: {string.Join(", ", columns.Keys)}");

        var variables = new List<Expr>();
        var offsets = new List<Expr>();
        var first = formula.FixedTerms.HasResponse ? 1 : 0;
        for (int v = first; v < formula.FixedTerms.Variables.Count; v++)
            (formula.FixedTerms.Offsets.Contains(v) ? offsets : variables).Add(formula.FixedTerms.Variables[v]);
        var groups = new List<Expr>();
        foreach (var rt in formula.RandomTerms)
        {
            var ts = TermAlgebra.Expand(text, null, rt.Model);
            variables.AddRange(ts.Variables);
            groups.AddRange(Design.ModelFrame.Components(rt.Group));
        }

        // Keys: categorical columns used anywhere; numeric columns used as (or inside) a grouping factor or a factor() call.
        var keys = new List<string>();
        void Key(string name) { if (!keys.Contains(name)) keys.Add(name); }
        foreach (var e in variables.Concat(groups).Append(formula.Response))
            foreach (var n in NumericSql.Names(e))
                if (!Column(n).Numeric) Key(n.Name);
        foreach (var g in groups) foreach (var n in NumericSql.Names(g)) Key(n.Name);
        foreach (var e in variables) foreach (var n in FactorArguments(e)) Key(n.Name);

        string Numeric(NameExpr n)
        {
            var c = Column(n);
            if (!c.Numeric) throw new FormulaException(text, n.Start, $"column '{n.Name}' is categorical and cannot be used as a number here");
            return AggregateEngine.Quote(n.Name);
        }
        var pieceVariables = new List<Expr>();
        foreach (var e in variables)
            if (NumericSql.Names(e).Any(n => !keys.Contains(n.Name)) && !pieceVariables.Any(p => p.ToString() == e.ToString())) pieceVariables.Add(e);
        if (NumericSql.Names(formula.Response).Any(n => !Column(n).Numeric))
            throw new ModelException($"the response '{formula.Response}' is categorical; a linear mixed model needs a numeric response");
        var transforms = TransformConstants.Compute(pieceVariables.Append(formula.Response).Concat(offsets), formula, Numeric, engine);
        string Sql(Expr e) => NumericSql.Translate(e, text, Numeric, engine.Description, transforms.Translate);
        // A numeric variable gives one piece per column: poly(x, 2) two.
        var pieces = pieceVariables.SelectMany(e => Enumerable.Range(0, transforms.Columns(e)).Select(c => (e, c))).ToList();
        var pieceSql = pieces.Select(p => transforms.Columns(p.e) > 1 ? transforms.PolyColumn((CallExpr)p.e, p.c) : Sql(p.e)).ToArray();
        // The response less its offsets: the model's working response (the offsets' own values are not needed).
        string responseSql = Sql(formula.Response);
        foreach (var o in offsets) responseSql = $"({responseSql} - {Sql(((CallExpr)o).Arguments[0].Value)})";
        Expr? weightExpr = weights is null ? null : Parser.Parse(weights);
        string? weightSql = weightExpr is null ? null : Sql(weightExpr);

        var monomials = new List<int[]>();
        void Monomials(TermSet ts)
        {
            // Every combination of the columns of the term's numeric variables.
            for (int t = 0; t < ts.Count; t++)
            {
                IEnumerable<int[]> combos = [[]];
                foreach (int v in ts.VariableIndices(t))
                {
                    var e = ts.Variables[v];
                    if (!pieceVariables.Any(p => p.ToString() == e.ToString())) continue;
                    var indices = Enumerable.Range(0, transforms.Columns(e)).Select(c => pieces.FindIndex(p => p.e.ToString() == e.ToString() && p.c == c)).ToArray();
                    combos = combos.SelectMany(m => indices.Select(i => m.Append(i).ToArray())).ToList();
                }
                monomials.AddRange(combos.Select(m => m.Order().ToArray()));
            }
        }
        Monomials(formula.FixedTerms);
        foreach (var rt in formula.RandomTerms) Monomials(TermAlgebra.Expand(text, null, rt.Model));
        var products = new List<int[]> { Array.Empty<int>() };
        foreach (var m in monomials)
            foreach (var subset in Subsets(m))
                if (!products.Any(p => p.SequenceEqual(subset))) products.Add(subset);

        var referenced = variables.Concat(groups).Concat(offsets).Append(formula.Response).Concat(weightExpr is null ? [] : [weightExpr])
            .SelectMany(NumericSql.Names).Select(n => n.Name).Distinct().ToList();
        var placeholders = referenced.Where(n => !keys.Contains(n)).ToArray();
        var where = string.Join(" AND ", referenced.Select(n =>
        {
            string q = AggregateEngine.Quote(n);
            return columns[n].Floating ? $"{q} IS NOT NULL AND {engine.IsNumber(q)}" : $"{q} IS NOT NULL";
        }));
        if (where.Length == 0) where = "TRUE";
        if (weightSql is not null) where += $" AND ({weightSql}) > 0";
        var kinds = keys.Select(k => columns[k] switch
        {
            { Numeric: true } => AggregateEngine.KeyKind.Number,
            { Text: true } => AggregateEngine.KeyKind.Text,
            _ => AggregateEngine.KeyKind.Other,
        }).ToArray();
        return new AggregatePlan(formula, [.. keys], [.. pieces], pieceSql, responseSql, [.. products], placeholders, where, weightSql, transforms.Values, kinds);
    }

    /// <summary>
    /// The first query, over one part of the source: all rows, complete rows, and the sums of the pieces, of the
    /// response and of the placeholder columns over the complete rows (means once added up over the parts).
    /// </summary>
    public string MeansQuery(string source)
    {
        var sb = new StringBuilder("SELECT COUNT(*) AS n_all, COUNT(*) FILTER (WHERE ").Append(Where).Append(") AS n_kept");
        if (WeightSql is { } w)
            sb.Append($", COUNT(*) FILTER (WHERE ({w}) IS NULL OR ({w}) < 0) AS bad_weights, SUM(ln({w})) FILTER (WHERE {Where}) AS log_weights");
        int i = 0;
        foreach (var e in PieceSql.Append(ResponseSql).Concat(Placeholders.Select(AggregateEngine.Quote)))
            sb.Append(", SUM(CAST(").Append(e).Append(" AS DOUBLE PRECISION)) FILTER (WHERE ").Append(Where).Append(") AS m").Append(i++);
        return sb.Append(" FROM ").Append(source).ToString();
    }

    /// <summary>
    /// The second query: per cell, the number of rows and the sums of products of the centred products and the centred
    /// response (<paramref name="means"/>: the pieces' means, then the response's).
    /// </summary>
    public string CellsQuery(AggregateEngine engine, double[] means, string source)
    {
        var vectors = Products.Select(p => p.Length == 0 ? "1" : string.Join(" * ", p.Select(i => $"({PieceSql[i]} - {NumericSql.Number(means[i])})")))
            .Append($"({ResponseSql} - {NumericSql.Number(means[Pieces.Length])})").ToArray();
        var sb = new StringBuilder("SELECT ");
        foreach (var k in Keys) sb.Append(AggregateEngine.Quote(k)).Append(", ");
        sb.Append("COUNT(*) AS n_cell");
        for (int a = 0; a < vectors.Length; a++)
            for (int b = a; b < vectors.Length; b++)
                sb.Append(", ").Append(engine.Sum($"CAST({(WeightSql is null ? "" : $"({WeightSql}) * ")}{vectors[a]} AS DOUBLE PRECISION) * ({vectors[b]})")).Append($" AS s{a}_{b}");
        // Keys that are neither numbers nor text once more as text: how a later pass joins each row to its cell.
        for (int k = 0; k < Keys.Length; k++)
            if (KeyKinds[k] == AggregateEngine.KeyKind.Other)
                sb.Append(", CAST(").Append(AggregateEngine.Quote(Keys[k])).Append(" AS VARCHAR) AS ").Append(AggregateEngine.Quote("key:" + Keys[k]));
        sb.Append(" FROM ").Append(source).Append(" WHERE ").Append(Where);
        if (Keys.Length > 0) sb.Append(" GROUP BY ").Append(string.Join(", ", Keys.Select(AggregateEngine.Quote)));
        return sb.ToString();
    }

    /// <summary>A product of pieces as SQL on the raw (uncentred) values; 1 for the empty product.</summary>
    public string Monomial(int[] pieces) => pieces.Length == 0 ? "1" : string.Join(" * ", pieces.Select(i => $"({PieceSql[i]})"));

    private static IEnumerable<NameExpr> FactorArguments(Expr e) => e switch
    {
        CallExpr c when FactorCalls.Contains(c.Function) => c.Arguments.SelectMany(a => NumericSql.Names(a.Value)),
        CallExpr c => c.Arguments.SelectMany(a => FactorArguments(a.Value)),
        BinaryExpr b => FactorArguments(b.Left).Concat(FactorArguments(b.Right)),
        ParenExpr p => FactorArguments(p.Inner),
        UnaryExpr u => FactorArguments(u.Operand),
        _ => [],
    };

    private static IEnumerable<int[]> Subsets(int[] set)
    {
        for (int mask = 0; mask < 1 << set.Length; mask++)
            yield return set.Where((_, i) => (mask & (1 << i)) != 0).ToArray();
    }
}

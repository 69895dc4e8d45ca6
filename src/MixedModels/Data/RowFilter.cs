namespace MixedModels.Data;

/// <summary>
/// Evaluates an R row condition over a table, as lmer's <c>subset =</c> argument: numeric columns are numbers,
/// factors their level text; comparisons, arithmetic, <c>! &amp; |</c> (with R's NA rules), <c>%in%</c> with
/// <c>c(...)</c>, <c>is.na()</c>, <c>row_number()</c> (dplyr's; <c>seq_len(n())</c> also works), <c>n()</c>,
/// <c>abs sqrt log exp</c>. A number compared with text is compared as R's <c>as.character</c> of it. Rows where the
/// condition is NA are dropped, as R's subset drops them.
/// </summary>
internal static class RowFilter
{
    /// <summary>A value: numbers (NaN is NA), text (null is NA) or logicals (-1 is NA); length 1 recycles.</summary>
    private sealed class Value
    {
        public double[]? Num;
        public string?[]? Str;
        public sbyte[]? Lgl;
        public int Length => Num?.Length ?? Str?.Length ?? Lgl!.Length;
    }

    public static int[] Rows(Table table, string condition)
    {
        var node = RowFilterParser.Parse(condition);
        var value = new Evaluator(table, condition).Eval(node);
        if (value.Lgl is null)
            throw Error(condition, 0, $"the condition gives {(value.Num is not null ? "numbers" : "text")}, not TRUE/FALSE for each row (compare with ==, <, %in%, ...)");
        int n = table.RowCount;
        if (value.Length != n && value.Length != 1)
            throw Error(condition, 0, $"the condition gives {value.Length} values for {n} rows");
        var rows = new List<int>(n);
        for (int i = 0; i < n; i++) if (value.Lgl[value.Length == 1 ? 0 : i] == 1) rows.Add(i);
        return [.. rows];
    }

    public static MixedModelsDataException Error(string condition, int position, string problem)
    {
        int p = Math.Clamp(position, 0, condition.Length);
        return new MixedModelsDataException($"subset: {problem} (at position {p + 1} of the condition)\n  {condition}\n  {new string(' ', p)}^");
    }

    private sealed class Evaluator(Table table, string text)
    {
        private readonly int _n = table.RowCount;

        public Value Eval(FilterNode node) => node switch
        {
            FilterNumber x => new Value { Num = [x.Value] },
            FilterString s => new Value { Str = [s.Value] },
            FilterLogical l => new Value { Lgl = [l.Value is null ? (sbyte)-1 : l.Value.Value ? (sbyte)1 : (sbyte)0] },
            FilterName name => Column(name),
            FilterUnary u => Unary(u),
            FilterBinary b => Binary(b),
            FilterCall c => Call(c),
            _ => throw Error(text, node.Position, "cannot evaluate this"),
        };

        private Value Column(FilterName name)
        {
            if (!table.TryGetColumn(name.Name, out var column)) throw Error(text, name.Position, table.UnknownColumnMessage(name.Name));
            if (column is NumericColumn num) return new Value { Num = num.Values.ToArray() };
            var cat = (CategoricalColumn)column;
            var levels = cat.Levels;
            var codes = cat.Codes;
            var s = new string?[codes.Length];
            for (int i = 0; i < s.Length; i++) s[i] = codes[i] < 0 ? null : levels[codes[i]];
            return new Value { Str = s };
        }

        private Value Unary(FilterUnary u)
        {
            var v = Eval(u.Operand);
            if (u.Op == "!")
            {
                var l = Logical(v, u.Operand.Position);
                return new Value { Lgl = Array.ConvertAll(l, x => x < 0 ? x : (sbyte)(1 - x)) };
            }
            var num = Numbers(v, u.Operand.Position);
            return new Value { Num = u.Op == "-" ? Array.ConvertAll(num, x => -x) : num };
        }

        private Value Binary(FilterBinary b)
        {
            var left = Eval(b.Left);
            var right = Eval(b.Right);
            if (b.Op == "%in%") return In(left, right);
            int n = Length(left, right, b.Position);
            switch (b.Op)
            {
                case "&" or "&&" or "|" or "||":
                {
                    var x = Logical(left, b.Left.Position);
                    var y = Logical(right, b.Right.Position);
                    bool and = b.Op[0] == '&';
                    var r = new sbyte[n];
                    for (int i = 0; i < n; i++)
                    {
                        sbyte p = x[x.Length == 1 ? 0 : i], q = y[y.Length == 1 ? 0 : i];
                        r[i] = and ? (p == 0 || q == 0 ? (sbyte)0 : p < 0 || q < 0 ? (sbyte)-1 : (sbyte)1)
                                   : (p == 1 || q == 1 ? (sbyte)1 : p < 0 || q < 0 ? (sbyte)-1 : (sbyte)0);
                    }
                    return new Value { Lgl = r };
                }
                case "==" or "!=" or "<" or "<=" or ">" or ">=": return Compare(b.Op, left, right, n);
                default:
                {
                    var x = Numbers(left, b.Left.Position);
                    var y = Numbers(right, b.Right.Position);
                    var r = new double[n];
                    for (int i = 0; i < n; i++)
                    {
                        double p = x[x.Length == 1 ? 0 : i], q = y[y.Length == 1 ? 0 : i];
                        r[i] = b.Op switch { "+" => p + q, "-" => p - q, "*" => p * q, "/" => p / q, _ => Math.Pow(p, q) };
                    }
                    return new Value { Num = r };
                }
            }
        }

        private static Value Compare(string op, Value left, Value right, int n)
        {
            var r = new sbyte[n];
            if (left.Str is null && right.Str is null)
            {
                var x = left.Num ?? Array.ConvertAll(left.Lgl!, v => v < 0 ? double.NaN : v);
                var y = right.Num ?? Array.ConvertAll(right.Lgl!, v => v < 0 ? double.NaN : v);
                for (int i = 0; i < n; i++)
                {
                    double p = x[x.Length == 1 ? 0 : i], q = y[y.Length == 1 ? 0 : i];
                    r[i] = double.IsNaN(p) || double.IsNaN(q) ? (sbyte)-1 : Holds(op, p.CompareTo(q)) ? (sbyte)1 : (sbyte)0;
                }
                return new Value { Lgl = r };
            }
            var s = Texts(left);
            var t = Texts(right);
            for (int i = 0; i < n; i++)
            {
                string? p = s[s.Length == 1 ? 0 : i], q = t[t.Length == 1 ? 0 : i];
                r[i] = p is null || q is null ? (sbyte)-1 : Holds(op, string.CompareOrdinal(p, q)) ? (sbyte)1 : (sbyte)0;
            }
            return new Value { Lgl = r };
        }

        private static bool Holds(string op, int c) => op switch
        {
            "==" => c == 0, "!=" => c != 0, "<" => c < 0, "<=" => c <= 0, ">" => c > 0, _ => c >= 0,
        };

        private static Value In(Value left, Value right)
        {
            var r = new sbyte[left.Length];
            if (left.Str is null && right.Str is null)
            {
                var set = (right.Num ?? Array.ConvertAll(right.Lgl!, v => v < 0 ? double.NaN : v)).ToHashSet();
                var x = left.Num ?? Array.ConvertAll(left.Lgl!, v => v < 0 ? double.NaN : v);
                bool na = set.Any(double.IsNaN);
                for (int i = 0; i < r.Length; i++) r[i] = (double.IsNaN(x[i]) ? na : set.Contains(x[i])) ? (sbyte)1 : (sbyte)0;
                return new Value { Lgl = r };
            }
            var texts = Texts(right);
            var strings = texts.Where(t => t is not null).ToHashSet(StringComparer.Ordinal);
            bool naIn = texts.Any(t => t is null);
            var s = Texts(left);
            for (int i = 0; i < r.Length; i++) r[i] = (s[i] is null ? naIn : strings.Contains(s[i]!)) ? (sbyte)1 : (sbyte)0;
            return new Value { Lgl = r };
        }

        private Value Call(FilterCall c)
        {
            void Arity(int k)
            {
                if (c.Arguments.Count != k) throw Error(text, c.Position, $"{c.Function}() takes {k} argument{(k == 1 ? "" : "s")}, not {c.Arguments.Count}");
            }
            switch (c.Function)
            {
                case "c":
                {
                    var parts = c.Arguments.Select(Eval).ToList();
                    if (parts.Any(p => p.Str is not null)) return new Value { Str = [.. parts.SelectMany(Texts)] };
                    if (parts.All(p => p.Lgl is not null)) return new Value { Lgl = [.. parts.SelectMany(p => p.Lgl!)] };
                    return new Value { Num = [.. parts.SelectMany(p => p.Num ?? Array.ConvertAll(p.Lgl!, v => v < 0 ? double.NaN : v))] };
                }
                case "is.na":
                {
                    Arity(1);
                    var v = Eval(c.Arguments[0]);
                    sbyte[] r = v.Num is { } num ? Array.ConvertAll(num, x => double.IsNaN(x) ? (sbyte)1 : (sbyte)0)
                        : v.Str is { } str ? Array.ConvertAll(str, x => x is null ? (sbyte)1 : (sbyte)0)
                        : Array.ConvertAll(v.Lgl!, x => x < 0 ? (sbyte)1 : (sbyte)0);
                    return new Value { Lgl = r };
                }
                case "row_number":
                    Arity(0);
                    return new Value { Num = [.. Enumerable.Range(1, _n).Select(i => (double)i)] };
                case "n":
                    Arity(0);
                    return new Value { Num = [_n] };
                case "seq_len":
                {
                    Arity(1);
                    var len = Numbers(Eval(c.Arguments[0]), c.Arguments[0].Position);
                    if (len.Length != 1 || len[0] != _n) throw Error(text, c.Position, "seq_len() here must be seq_len(n()), the row numbers");
                    return new Value { Num = [.. Enumerable.Range(1, _n).Select(i => (double)i)] };
                }
                case "abs" or "sqrt" or "log" or "exp":
                {
                    Arity(1);
                    var x = Numbers(Eval(c.Arguments[0]), c.Arguments[0].Position);
                    Func<double, double> f = c.Function switch { "abs" => Math.Abs, "sqrt" => Math.Sqrt, "log" => Math.Log, _ => Math.Exp };
                    return new Value { Num = Array.ConvertAll(x, v => f(v)) };
                }
                default:
                    throw Error(text, c.Position, $"unknown function {c.Function}(); a condition can use c, is.na, row_number, n, seq_len, abs, sqrt, log, exp");
            }
        }

        private int Length(Value a, Value b, int position)
        {
            int p = a.Length, q = b.Length;
            if (p == q || q == 1) return p;
            if (p == 1) return q;
            throw Error(text, position, $"the two sides have {p} and {q} values");
        }

        private sbyte[] Logical(Value v, int position) =>
            v.Lgl ?? (v.Num is { } num ? Array.ConvertAll(num, x => double.IsNaN(x) ? (sbyte)-1 : x != 0 ? (sbyte)1 : (sbyte)0)
                : throw Error(text, position, "text cannot be TRUE or FALSE; compare it with == or %in%"));

        private double[] Numbers(Value v, int position) =>
            v.Num ?? (v.Lgl is { } l ? Array.ConvertAll(l, x => x < 0 ? double.NaN : x)
                : throw Error(text, position, "arithmetic on text; a factor's levels are text (compare them with == or %in%)"));

        private static string?[] Texts(Value v) =>
            v.Str ?? (v.Num is { } num ? Array.ConvertAll(num, x => double.IsNaN(x) ? null : NumericColumn.FormatNumber(x))
                : Array.ConvertAll(v.Lgl!, x => x < 0 ? null : x == 1 ? "TRUE" : "FALSE"));
    }
}

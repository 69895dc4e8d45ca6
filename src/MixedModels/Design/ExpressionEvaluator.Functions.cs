using MixedModels.Data;
using MixedModels.Formulas;

namespace MixedModels.Design;

internal sealed partial class ExpressionEvaluator
{
    private static readonly Dictionary<string, Func<double, double>> Elementwise = new(StringComparer.Ordinal)
    {
        ["log"] = Math.Log, ["log10"] = Math.Log10, ["log2"] = Math.Log2, ["log1p"] = x => Math.Log(1 + x),
        ["exp"] = Math.Exp, ["expm1"] = x => Math.Exp(x) - 1, ["sqrt"] = Math.Sqrt, ["abs"] = Math.Abs,
        ["sin"] = Math.Sin, ["cos"] = Math.Cos, ["tan"] = Math.Tan, ["atan"] = Math.Atan,
        ["floor"] = Math.Floor, ["ceiling"] = Math.Ceiling, ["trunc"] = Math.Truncate,
        ["as.numeric"] = x => x, ["offset"] = x => x,
    };

    /// <summary>The functions a formula may call.</summary>
    public static IEnumerable<string> FunctionNames =>
        Elementwise.Keys.Concat(["I", "cbind", "scale", "poly", "factor", "as.factor", "ordered", "mean", "sd"]).Order(StringComparer.Ordinal);

    private VariableValue Call(CallExpr c)
    {
        string name = c.Function;
        if (Elementwise.TryGetValue(name, out var f))
        {
            if (name == "log" && c.Arguments.Count == 2) return new NumericValue(LogBase(c));
            RequireArgs(c, 1);
            if (name == "as.numeric" && Evaluate(c.Arguments[0].Value) is FactorValue fv)
                return new NumericValue(Array.ConvertAll(fv.Codes, k => k < 0 ? double.NaN : k + 1.0));
            var x = Numeric(c.Arguments[0].Value);
            var r = new double[x.Length];
            for (int i = 0; i < r.Length; i++) r[i] = f(x[i]);
            CountNaNsProduced(c, x, x, r);
            return new NumericValue(r);
        }
        switch (name)
        {
            case "I": RequireArgs(c, 1); return new NumericValue(Numeric(c.Arguments[0].Value));
            case "cbind": return Cbind(c);
            case "scale": return Scale(c);
            case "poly": return Poly(c);
            case "factor" or "as.factor": RequireArgs(c, 1); return FactorCall(c, ordered: false);
            case "ordered": RequireArgs(c, 1); return FactorCall(c, ordered: true);
            case "mean" or "sd": return new NumericValue(Reduction(c));
            default:
                string? near = Text.NearestName(name, FunctionNames);
                throw new FormulaException(formula, c.Start,
                    $"unknown function '{name}'" + (near is null ? "" : $"; did you mean '{near}'?") + $" Functions: {string.Join(", ", FunctionNames)}");
        }
    }

    /// <summary><c>cbind(a, b)</c>: two numeric columns side by side (a binomial response of successes and failures).</summary>
    private NumericValue Cbind(CallExpr c)
    {
        RequireArgs(c, 2);
        var a = Numeric(c.Arguments[0].Value);
        var b = Numeric(c.Arguments[1].Value);
        var data = new double[a.Length * 2];
        a.CopyTo(data, 0);
        b.CopyTo(data, a.Length);
        return new NumericValue(data, 2, ["1", "2"]);
    }

    private void RequireArgs(CallExpr c, int count)
    {
        if (c.Arguments.Count != count)
            throw new FormulaException(formula, c.Start, $"{c.Function}() takes {count} argument{(count == 1 ? "" : "s")}, not {c.Arguments.Count}");
    }

    private double[] LogBase(CallExpr c)
    {
        var x = Numeric(c.Arguments[0].Value);
        double b = Constant(c.Arguments[1].Value, "the base of log()");
        var r = new double[x.Length];
        for (int i = 0; i < r.Length; i++) r[i] = Math.Log(x[i]) / Math.Log(b);
        CountNaNsProduced(c, x, x, r);
        return r;
    }

    private double Constant(Expr e, string what)
    {
        if (e is NumberExpr n) return n.Value;
        if (e is UnaryExpr { Op: "-", Operand: NumberExpr m }) return -m.Value;
        throw new FormulaException(formula, e.Start, $"{what} must be a number");
    }

    private bool Logical(Expr e, string what) => e switch
    {
        NameExpr { Name: "TRUE" or "T" } => true,
        NameExpr { Name: "FALSE" or "F" } => false,
        _ => throw new FormulaException(formula, e.Start, $"{what} must be TRUE or FALSE"),
    };

    private NumericValue Scale(CallExpr c)
    {
        if (c.Arguments.Count == 0) throw new FormulaException(formula, c.Start, "scale() needs an argument");
        bool center = true, scale = true;
        foreach (var a in c.Arguments.Skip(1))
        {
            if (a.Name == "center") center = Logical(a.Value, "center");
            else if (a.Name == "scale") scale = Logical(a.Value, "scale");
            else throw new FormulaException(formula, a.Value.Start, "scale() takes the arguments center = TRUE/FALSE and scale = TRUE/FALSE");
        }
        var x = Numeric(c.Arguments[0].Value);
        string key = c.ToString();
        if (!state.TryGet(key, out double[]? p))
        {
            double m = 0, s = 1;
            var present = x.Where(v => !double.IsNaN(v)).ToArray();
            if (center) m = present.Average();
            if (scale)
            {
                double ss = present.Sum(v => (v - m) * (v - m));
                s = Math.Sqrt(ss / Math.Max(1, present.Length - 1));
                if (s == 0) throw new FormulaException(formula, c.Start, $"{c}: the values are constant and cannot be scaled");
            }
            p = [m, s];
            state.Set(key, p);
        }
        var r = new double[x.Length];
        for (int i = 0; i < r.Length; i++) r[i] = (x[i] - p![0]) / p[1];
        return new NumericValue(r);
    }

    private NumericValue Poly(CallExpr c)
    {
        if (c.Arguments.Count < 1) throw new FormulaException(formula, c.Start, "poly() needs a variable and a degree");
        int degree = 1;
        bool raw = false;
        for (int i = 1; i < c.Arguments.Count; i++)
        {
            var a = c.Arguments[i];
            if (a.Name is null or "degree" && a.Value is NumberExpr)
            {
                double d = Constant(a.Value, "the degree of poly()");
                if (d != Math.Floor(d) || d < 1 || d > int.MaxValue)
                    throw new FormulaException(formula, a.Value.Start, $"the degree of poly() must be a whole number of at least 1, not {a.Value}");
                degree = (int)d;
            }
            else if (a.Name == "raw" || (a.Name is null && i == 2)) raw = Logical(a.Value, "raw");
            else throw new FormulaException(formula, a.Value.Start, "poly() takes a variable, a degree, and optionally raw = TRUE");
        }
        if (degree < 1) throw new FormulaException(formula, c.Start, "the degree of poly() must be at least 1");
        var x = Numeric(c.Arguments[0].Value);
        string key = c.ToString();
        // A basis (or a raw basis's check) already in the state was made from the data elsewhere: it is not checked against these values.
        if (state.Training && !state.TryGet(key, out object? _))
        {
            // R's check, before anything of the degree's size is made (a raw basis of that degree is collinear too).
            var distinct = new HashSet<double>();
            foreach (double v in x) if (!double.IsNaN(v) && distinct.Add(v) && distinct.Count > degree) break;
            if (degree >= distinct.Count)
                throw new FormulaException(formula, c.Start, $"poly(): 'degree' ({degree}) must be less than the number of unique points ({distinct.Count})");
        }
        var suffixes = Enumerable.Range(1, degree).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (raw)
        {
            var r = new double[x.Length * degree];
            for (int k = 0; k < degree; k++)
                for (int i = 0; i < x.Length; i++) r[k * x.Length + i] = Math.Pow(x[i], k + 1);
            return new NumericValue(r, degree, suffixes);
        }
        if (!state.TryGet(key, out OrthogonalPolynomial? basis))
        {
            basis = OrthogonalPolynomial.Fit(x, degree);
            state.Set(key, basis);
        }
        return new NumericValue(basis!.Evaluate(x), degree, suffixes);
    }

    private FactorValue FactorCall(CallExpr c, bool ordered)
    {
        string key = "levels:" + c;
        var inner = c.Arguments[0].Value;
        var v = Evaluate(inner);
        FactorValue f = v switch
        {
            FactorValue fv => fv.DropUnusedLevels(),
            NumericValue { Columns: 1 } nv => Factor(inner),
            _ => throw new FormulaException(formula, c.Start, $"{c}: the argument has several columns"),
        };
        if (state.TryGet(key, out string[]? levels))
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < levels!.Length; i++) index[levels[i]] = i;
            var extra = new List<string>(levels);
            var codes = new int[f.Codes.Length];
            for (int i = 0; i < codes.Length; i++)
            {
                if (f.Codes[i] < 0) { codes[i] = -1; continue; }
                string l = f.Levels[f.Codes[i]];
                if (!index.TryGetValue(l, out codes[i])) { index[l] = extra.Count; codes[i] = extra.Count; extra.Add(l); }
            }
            return new FactorValue(codes, [.. extra], ordered);
        }
        state.Set(key, f.Levels);
        return new FactorValue(f.Codes, f.Levels, ordered);
    }

    private double[] Reduction(CallExpr c)
    {
        RequireArgs(c, 1);
        string key = c.ToString();
        if (!state.TryGet(key, out double[]? value))
        {
            var x = Numeric(c.Arguments[0].Value).Where(v => !double.IsNaN(v)).ToArray();
            double m = x.Length == 0 ? double.NaN : x.Average();
            double result = c.Function == "mean" ? m : Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / Math.Max(1, x.Length - 1));
            value = [result];
            state.Set(key, value);
        }
        var r = new double[Rows];
        Array.Fill(r, value![0]);
        return r;
    }
}

using System.Globalization;
using MixedModels.Formulas;

namespace MixedModels.Structures;

/// <summary>
/// Parameter values given to an nlme variance function (<c>value = 0.5</c>, <c>value = c(Female = 0.5)</c>,
/// <c>fixed = list(power = 1)</c>): unnamed (in the parameters' order) or named (by stratum or parameter). Immutable.
/// </summary>
public sealed class ParameterValues
{
    private ParameterValues(IReadOnlyList<double> unnamed, IReadOnlyList<(string Name, double Value)> named)
    {
        Unnamed = unnamed;
        NamedValues = named;
    }

    /// <summary>No values given.</summary>
    public static ParameterValues None { get; } = new([], []);

    /// <summary>Values given without names, in the parameters' order.</summary>
    public IReadOnlyList<double> Unnamed { get; }

    /// <summary>Values given by name.</summary>
    public IReadOnlyList<(string Name, double Value)> NamedValues { get; }

    /// <summary>True when no value is given.</summary>
    public bool IsEmpty => Unnamed.Count == 0 && NamedValues.Count == 0;

    /// <summary>Named values.</summary>
    public static ParameterValues Named(IReadOnlyList<(string Name, double Value)> values) => new([], values);

    /// <summary>The value of the parameter at <paramref name="index"/> named <paramref name="name"/>, or null when not given.</summary>
    public double? Of(int index, string name)
    {
        foreach (var (n, v) in NamedValues) if (n == name) return v;
        return index < Unnamed.Count ? Unnamed[index] : null;
    }

    /// <summary>The single value of an argument.</summary>
    internal double Single(string text, RArgument a) =>
        Unnamed.Count == 1 && NamedValues.Count == 0 ? Unnamed[0] : throw new FormulaException(text, a.Position, $"{a.Name} = {a.Value}: give one number");

    /// <summary>Parses <c>0.5</c>, <c>c(0.5, 2)</c>, <c>c(Female = 0.5)</c> or <c>list(power = 1)</c>.</summary>
    internal static ParameterValues Parse(string text, RArgument a)
    {
        string v = a.Value.Trim();
        if (TryNumber(v, out double single)) return new([single], []);
        RCall call;
        try { call = RCall.Parse(v); }
        catch (FormulaException) { throw Error(text, a); }
        if (call.Function is not ("c" or "list")) throw Error(text, a);
        var unnamed = new List<double>();
        var named = new List<(string, double)>();
        foreach (var x in call.Arguments)
        {
            if (!TryNumber(x.Value.Trim(), out double d)) throw Error(text, a);
            if (x.Name is null) unnamed.Add(d);
            else named.Add((RCall.StringLiteral(x.Name) ?? x.Name.Trim('`'), d));
        }
        return new(unnamed, named);
    }

    private static bool TryNumber(string s, out double d) =>
        double.TryParse(s.TrimEnd('L'), NumberStyles.Float, CultureInfo.InvariantCulture, out d);

    private static FormulaException Error(string text, RArgument a) =>
        new(text, a.Position, $"{a.Name} = {a.Value}: give a number, c(...) of numbers (named by stratum, e.g. c(Female = 0.5)) or list(power = 1)");
}

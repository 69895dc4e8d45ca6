using System.Globalization;
using MixedModels.Formulas;
using MixedModels.Robust;

namespace MixedModels.Results;

/// <summary>
/// The robust arguments of an <c>rlmer()</c> call, as robustlmm names them: <c>method</c> ("DAStau", "DASvar"),
/// <c>setting</c> ("RSEn", "RSEa"), <c>rho.e</c>, <c>rho.b</c>, <c>rho.sigma.e</c>, <c>rho.sigma.b</c> (<c>smoothPsi</c>,
/// <c>huberPsiRcpp</c>, <c>cPsi</c>, <c>chgDefaults(smoothPsi, k = 2, s = 10)</c>, <c>psi2propII(smoothPsi, k = 2.28)</c>),
/// <c>rel.tol</c> and <c>max.iter</c>.
/// </summary>
internal static class RobustCall
{
    public static readonly string[] Arguments = ["formula", "data", "method", "setting", "rho.e", "rho.b", "rho.sigma.e", "rho.sigma.b", "rel.tol", "max.iter"];

    /// <summary>Sets one rlmer argument on the options; errors name the argument and its position.</summary>
    public static RobustFitOptions Apply(RobustFitOptions options, string text, RArgument a) => a.Name switch
    {
        "method" => options with
        {
            Method = (RCall.StringLiteral(a.Value) ?? a.Value) switch
            {
                "DAStau" => RobustMethod.DASTau,
                "DASvar" => RobustMethod.DASVar,
                _ => throw new FormulaException(text, a.Position, $"method = {a.Value}: rlmer's methods are \"DAStau\" and \"DASvar\""),
            },
        },
        "setting" => options with
        {
            Setting = (RCall.StringLiteral(a.Value) ?? a.Value) switch
            {
                "RSEn" => RobustSetting.RSEn,
                "RSEa" => RobustSetting.RSEa,
                _ => throw new FormulaException(text, a.Position, $"setting = {a.Value}: rlmer's settings are \"RSEn\" and \"RSEa\""),
            },
        },
        "rho.e" => options with { RhoE = Psi(text, a) },
        "rho.b" => options with { RhoB = Psi(text, a) },
        "rho.sigma.e" => options with { RhoSigmaE = Psi(text, a) },
        "rho.sigma.b" => options with { RhoSigmaB = Psi(text, a) },
        "rel.tol" => options with { RelativeTolerance = Number(text, a) is var v and > 0 and < 1 ? v : throw new FormulaException(text, a.Position, $"rel.tol = {a.Value}: give a small positive number") },
        "max.iter" => options with { MaxIterations = Number(text, a) is var m and >= 1 and <= 1e7 && m == Math.Floor(m) ? (int)m : throw new FormulaException(text, a.Position, $"max.iter = {a.Value}: give a positive whole number") },
        _ => throw new FormulaException(text, a.Position, $"argument '{a.Name}' of rlmer() is not supported here; supported: {string.Join(", ", Arguments)}"),
    };

    private static double Number(string text, RArgument a) =>
        double.TryParse(a.Value.TrimEnd('L'), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw new FormulaException(text, a.Position, $"{a.Name} = {a.Value}: give a number");

    /// <summary>A ψ-function as robustlmm writes it.</summary>
    private static PsiFunction Psi(string text, RArgument a)
    {
        try
        {
            return PsiOf(a.Value.Trim());
        }
        catch (ArgumentException e)
        {
            throw new FormulaException(text, a.Position, $"{a.Name} = {a.Value}: {e.Message.Split(" (Parameter")[0]}");
        }
    }

    private static PsiFunction PsiOf(string value)
    {
        string name = value;
        int colons = name.IndexOf("::", StringComparison.Ordinal);
        if (colons >= 0 && !name.Contains('(')) name = name[(colons + 2)..];
        switch (name)
        {
            case "smoothPsi": return PsiFunction.SmoothHuber();
            case "huberPsiRcpp" or "huberPsi": return PsiFunction.Huber();
            case "cPsi": return PsiFunction.Classical;
        }
        if (!value.Contains('(')) throw new ArgumentException("the ψ-functions understood are smoothPsi, huberPsiRcpp, cPsi, chgDefaults(...) and psi2propII(...)");
        var call = RCall.Parse(value);
        string fn = call.Function[(call.Function.LastIndexOf(':') + 1)..];
        if (fn is not ("chgDefaults" or "psi2propII")) throw new ArgumentException($"{fn}() is not a ψ-function constructor here; use chgDefaults() or psi2propII()");
        var positional = call.Arguments.Where(x => x.Name is null).ToList();
        if (positional.Count == 0) throw new ArgumentException($"{fn}() needs the ψ-function first, e.g. {fn}(smoothPsi, k = 2)");
        var baseFunction = PsiOf(positional[0].Value.Trim());
        double? k = null, s = null;
        foreach (var arg in call.Arguments.Skip(1))
        {
            string key = arg.Name ?? (k is null ? "k" : "s");
            double v = double.TryParse(arg.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x : throw new ArgumentException($"{key} = {arg.Value}: give a number");
            if (key == "k") k = v;
            else if (key == "s") s = v;
            else throw new ArgumentException($"unknown tuning constant '{key}' (the functions take k and s)");
        }
        var tuned = baseFunction switch
        {
            SmoothHuberPsi sh => (k, s) == (null, null) ? sh : PsiFunction.SmoothHuber(k ?? sh.K, s ?? sh.S),
            HuberPsi h when s is not null => throw new ArgumentException("Huber's ψ takes only k"),
            HuberPsi h => k is null ? h : PsiFunction.Huber(k.Value),
            ProposalIIPsi p when fn == "psi2propII" => throw new ArgumentException("Cannot apply psi2propII multiple times."),
            ProposalIIPsi p => k is null ? p : p.WithK(k.Value),
            _ => baseFunction,
        };
        return fn == "psi2propII" ? tuned.ProposalII() : tuned;
    }
}

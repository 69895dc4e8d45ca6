using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Xunit;

namespace MixedModels.Tests.PublicApi;

/// <summary>
/// The library's public surface is kept in a checked file (PublicApi/*.txt): a change to it fails here until the
/// file is updated on purpose (run the tests with MIXED_UPDATE_PUBLIC_API=1 and commit the new file), so nothing
/// becomes public, or stops being public, by accident.
/// </summary>
public sealed class PublicApiTests
{
    public static TheoryData<string> Assemblies => new() { "MixedModels" };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void ThePublicSurfaceIsTheCheckedOne(string assembly)
    {
        string actual = Describe(Assembly.Load(assembly));
        string file = Path.Combine(SourceDirectory(), $"{assembly}.txt");
        if (Environment.GetEnvironmentVariable("MIXED_UPDATE_PUBLIC_API") == "1") File.WriteAllText(file, actual);
        string expected = File.Exists(file) ? File.ReadAllText(file) : "";
        var added = actual.Split('\n').Except(expected.Split('\n')).ToList();
        var removed = expected.Split('\n').Except(actual.Split('\n')).ToList();
        Assert.True(added.Count == 0 && removed.Count == 0,
            $"the public API of {assembly} differs from {file} (set MIXED_UPDATE_PUBLIC_API=1 to accept it):\n" +
            string.Join("\n", added.Take(30).Select(a => "+ " + a).Concat(removed.Take(30).Select(r => "- " + r))));
    }

    [Fact]
    public void InternalsStayInternal()
    {
        var exported = typeof(MixedModelsException).Assembly.GetExportedTypes().Select(t => t.Name).ToHashSet();
        foreach (var name in new[] { "Expr", "CallExpr", "Bobyqa", "BobyqaOptimizer", "IOptimizer", "ParameterMap", "BenchmarkSuite", "SyntheticData", "RandomTermSpec" })
            Assert.DoesNotContain(name, exported);
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    /// <summary>One line per public type and member, sorted: kind, full name, signature.</summary>
    internal static string Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(TypeName, StringComparer.Ordinal))
        {
            lines.Add($"{Kind(type)} {TypeName(type)}{Bases(type)}");
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            lines.AddRange(type.GetMembers(flags).Select(Member).OfType<string>().Select(m => "  " + m).Order(StringComparer.Ordinal));
        }
        return string.Join("\n", lines) + "\n";
    }

    private static string Kind(Type t) =>
        t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? "struct"
        : typeof(Delegate).IsAssignableFrom(t) ? "delegate"
        : t.IsAbstract && t.IsSealed ? "static class" : t.IsSealed ? "sealed class" : t.IsAbstract ? "abstract class" : "class";

    private static string Bases(Type t)
    {
        var bases = new List<string>();
        if (t.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum) && !typeof(Delegate).IsAssignableFrom(t)) bases.Add(TypeName(b));
        bases.AddRange(t.GetInterfaces().Where(i => i.IsPublic || i.IsNestedPublic).Select(TypeName).Order(StringComparer.Ordinal));
        return bases.Count == 0 ? "" : " : " + string.Join(", ", bases);
    }

    private static string? Member(MemberInfo m) => m switch
    {
        ConstructorInfo c when c.IsPublic || c.IsFamily => $"ctor({Parameters(c)})",
        MethodInfo mi when (mi.IsPublic || mi.IsFamily) && !mi.IsSpecialName && !IsCompilerGenerated(mi) =>
            $"{(mi.IsStatic ? "static " : "")}{TypeName(mi.ReturnType)} {mi.Name}{Generic(mi)}({Parameters(mi)})",
        PropertyInfo p when Accessible(p.GetMethod) || Accessible(p.SetMethod) =>
            $"{(p.GetMethod?.IsStatic == true ? "static " : "")}{TypeName(p.PropertyType)} {(p.GetIndexParameters().Length > 0 ? $"this[{Parameters(p.GetIndexParameters())}]" : p.Name)} {{{(Accessible(p.GetMethod) ? " get;" : "")}{(Accessible(p.SetMethod) ? (IsInit(p) ? " init;" : " set;") : "")} }}",
        FieldInfo f when (f.IsPublic || f.IsFamily) && !f.IsSpecialName =>
            $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{TypeName(f.FieldType)} {f.Name}{(f.IsLiteral ? " = " + Convert.ToString(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture) : "")}",
        EventInfo e => $"event {TypeName(e.EventHandlerType!)} {e.Name}",
        _ => null,
    };

    private static bool Accessible(MethodInfo? m) => m is not null && (m.IsPublic || m.IsFamily);

    private static bool IsInit(PropertyInfo p) =>
        p.SetMethod!.ReturnParameter.GetRequiredCustomModifiers().Any(t => t.Name == "IsExternalInit");

    private static bool IsCompilerGenerated(MethodInfo m) =>
        m.Name is "<Clone>$" || m.GetCustomAttribute<CompilerGeneratedAttribute>() is not null && m.Name is "PrintMembers" or "get_EqualityContract";

    private static string Generic(MethodInfo m) =>
        m.IsGenericMethodDefinition ? "<" + string.Join(", ", m.GetGenericArguments().Select(a => a.Name)) + ">" : "";

    private static string Parameters(MethodBase m) => Parameters(m.GetParameters());

    private static string Parameters(ParameterInfo[] ps) =>
        string.Join(", ", ps.Select(p => $"{(p.IsOut ? "out " : p.ParameterType.IsByRef ? "ref " : "")}{(p.GetCustomAttribute<ParamArrayAttribute>() is not null ? "params " : "")}{TypeName(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + Default(p.DefaultValue) : "")}"));

    private static string Default(object? v) => v switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    internal static string TypeName(Type t)
    {
        if (t.IsByRef) return TypeName(t.GetElementType()!);
        if (t.IsArray) return TypeName(t.GetElementType()!) + "[" + new string(',', t.GetArrayRank() - 1) + "]";
        if (Nullable.GetUnderlyingType(t) is { } u) return TypeName(u) + "?";
        if (t.IsGenericParameter) return t.Name;
        var sb = new StringBuilder();
        if (t.IsNested) sb.Append(TypeName(t.DeclaringType!)).Append('.');
        else if (t.Namespace is { } ns) sb.Append(ns).Append('.');
        string name = t.Name;
        int tick = name.IndexOf('`');
        sb.Append(tick >= 0 ? name[..tick] : name);
        if (t.IsGenericType)
        {
            var args = t.GetGenericArguments();
            if (t.IsNested && t.DeclaringType!.IsGenericType) args = args[t.DeclaringType.GetGenericArguments().Length..];
            if (args.Length > 0) sb.Append('<').Append(string.Join(", ", args.Select(TypeName))).Append('>');
        }
        return sb.ToString();
    }
}

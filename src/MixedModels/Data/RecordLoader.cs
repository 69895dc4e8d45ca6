using System.Linq.Expressions;
using System.Reflection;

namespace MixedModels.Data;

/// <summary>
/// Builds a <see cref="Table"/> from objects: one column per public readable instance property or field. Numbers
/// (and nullable numbers) are numeric, strings, chars, Guids, bools and enums categorical, null is missing.
/// </summary>
internal static class RecordLoader
{
    private enum Kind { Number, Text, Boolean, Enum }

    private sealed record Member(string Name, Kind Kind, Type Type, bool Categorical, Func<object, object?> Get);

    public static Table Load<T>(IEnumerable<T> records, IReadOnlyCollection<string> categorical)
    {
        var members = Members(typeof(T), categorical);
        var builders = members.Select(m => new ColumnBuilder(m.Name)).ToArray();
        long row = 0;
        foreach (var record in records)
        {
            row++;
            if (record is null) throw new MixedModelsDataException($"record {row} is null; every record must be an object");
            for (int i = 0; i < members.Length; i++)
            {
                var m = members[i];
                object? value = m.Get(record);
                if (value is null) { builders[i].AddMissing(); continue; }
                switch (m.Kind)
                {
                    case Kind.Number:
                        double x = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                        if (double.IsInfinity(x))
                            throw new MixedModelsDataException($"record {row}: property '{m.Name}' is infinite; a model cannot use it (give NaN or null for a missing value)", column: m.Name);
                        builders[i].AddNumber(x);
                        break;
                    case Kind.Boolean: builders[i].AddCategory((bool)value ? "TRUE" : "FALSE"); break;
                    default: builders[i].AddCategory(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""); break;
                }
            }
        }
        var columns = new Column[members.Length];
        for (int i = 0; i < members.Length; i++)
        {
            var m = members[i];
            var column = builders[i].Build();
            columns[i] = m switch
            {
                { Kind: Kind.Number, Categorical: true } => ((NumericColumn)column).ToCategorical(),
                // R's factor of a logical or an enum: levels in the type's order (FALSE before TRUE, declaration order).
                { Kind: Kind.Boolean } when column is CategoricalColumn c => Ordered(c, ["FALSE", "TRUE"]),
                { Kind: Kind.Enum } when column is CategoricalColumn c => Ordered(c, Enum.GetNames(m.Type)),
                _ => column,
            };
        }
        return new Table(columns);
    }

    /// <summary>The levels that occur, in the given order.</summary>
    private static CategoricalColumn Ordered(CategoricalColumn column, IReadOnlyList<string> order) =>
        column.WithLevels(order, ordered: false).DropUnusedLevels();

    private static Member[] Members(Type type, IReadOnlyCollection<string> categorical)
    {
        var found = new List<Member>();
        var unknown = new HashSet<string>(categorical, StringComparer.Ordinal);
        foreach (var info in type.GetMembers(BindingFlags.Public | BindingFlags.Instance))
        {
            Type memberType;
            if (info is PropertyInfo p && p.CanRead && p.GetIndexParameters().Length == 0 && p.GetMethod!.IsPublic) memberType = p.PropertyType;
            else if (info is FieldInfo f) memberType = f.FieldType;
            else continue;
            bool declared = unknown.Remove(info.Name) || info.GetCustomAttribute<CategoricalAttribute>() is not null;
            var underlying = Nullable.GetUnderlyingType(memberType) ?? memberType;
            Kind kind = underlying.IsEnum ? Kind.Enum
                : ValueTypes.IsNumber(underlying) ? Kind.Number
                : underlying == typeof(bool) ? Kind.Boolean
                : ValueTypes.IsText(underlying) ? Kind.Text
                : throw new MixedModelsDataException(
                    $"property '{info.Name}' of {type.Name} has the type {underlying.Name}, which cannot be a model variable; give a number, text, bool or enum (or a property computed from it)",
                    column: info.Name);
            found.Add(new Member(info.Name, kind, underlying, declared, Getter(type, info)));
        }
        if (unknown.Count > 0)
            throw new MixedModelsDataException(
                $"{type.Name} has no public property {string.Join(", ", unknown.Select(u => $"'{u}'"))} to make categorical; its properties are {string.Join(", ", found.Select(m => m.Name))}",
                column: unknown.First());
        if (found.Count == 0) throw new MixedModelsDataException($"{type.Name} has no public properties or fields to make columns of");
        return [.. found];
    }

    /// <summary>A compiled getter (reflection's GetValue is ~20× slower per call on a million records).</summary>
    private static Func<object, object?> Getter(Type type, MemberInfo member)
    {
        var obj = Expression.Parameter(typeof(object), "o");
        var access = Expression.MakeMemberAccess(Expression.Convert(obj, type), member);
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(access, typeof(object)), obj).Compile();
    }
}

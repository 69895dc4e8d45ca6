namespace MixedModels.Data;

/// <summary>Which .NET types become numeric and which categorical columns (database readers, records).</summary>
internal static class ValueTypes
{
    /// <summary>The numeric types: they become numeric columns.</summary>
    public static bool IsNumber(Type t) =>
        t == typeof(double) || t == typeof(float) || t == typeof(decimal) || t == typeof(int) || t == typeof(long) || t == typeof(short)
        || t == typeof(byte) || t == typeof(sbyte) || t == typeof(uint) || t == typeof(ulong) || t == typeof(ushort)
        || t == typeof(System.Numerics.BigInteger) || t == typeof(Half) || t == typeof(Int128) || t == typeof(UInt128);

    /// <summary>The date and time types: categorical columns of their ISO 8601 text, as a CSV file's dates are.</summary>
    public static bool IsDateTime(Type t) =>
        t == typeof(DateTime) || t == typeof(DateOnly) || t == typeof(TimeOnly) || t == typeof(DateTimeOffset) || t == typeof(TimeSpan);

    /// <summary>A date or time value as ISO 8601 text (a date alone without its midnight time).</summary>
    public static string DateTimeText(object value) => value switch
    {
        DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset o => o.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture),
        TimeSpan s => s.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>The text types: they become categorical columns.</summary>
    public static bool IsText(Type t) => t == typeof(string) || t == typeof(char) || t == typeof(Guid);
}

namespace MixedModels.Data;

/// <summary>Which .NET types become numeric and which categorical columns (database readers, records).</summary>
internal static class ValueTypes
{
    /// <summary>The numeric types: they become numeric columns.</summary>
    public static bool IsNumber(Type t) =>
        t == typeof(double) || t == typeof(float) || t == typeof(decimal) || t == typeof(int) || t == typeof(long) || t == typeof(short)
        || t == typeof(byte) || t == typeof(sbyte) || t == typeof(uint) || t == typeof(ulong) || t == typeof(ushort);

    /// <summary>The text types: they become categorical columns.</summary>
    public static bool IsText(Type t) => t == typeof(string) || t == typeof(char) || t == typeof(Guid);
}

using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace MixedModels.Data;

/// <summary>
/// Arrow IPC files (Feather version 2, <c>.arrow</c>/<c>.feather</c>) and streams (<c>.arrows</c>) read with
/// Apache.Arrow, typed as the other sources: integer, floating-point and decimal columns numeric; string and
/// dictionary-encoded columns categorical (a dictionary's order kept as the level order of its values as they occur);
/// booleans categorical TRUE/FALSE; dates and timestamps categorical ISO 8601 text; nulls missing.
/// </summary>
internal static class ArrowFiles
{
    private static readonly byte[] FileMagic = "ARROW1"u8.ToArray();

    public static Table Read(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[6];
        int got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        try
        {
            using ArrowStreamReader reader = got == 6 && head.AsSpan().SequenceEqual(FileMagic) ? new ArrowFileReader(stream, leaveOpen: true) : new ArrowStreamReader(stream, leaveOpen: true);
            return Read(reader, path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            throw new MixedModelsDataException($"cannot read '{path}' as an Arrow IPC (Feather) file: {e.Message}");
        }
    }

    private static Table Read(ArrowStreamReader reader, string path)
    {
        ColumnBuilder[]? builders = null;
        RecordBatch? batch;
        while ((batch = reader.ReadNextRecordBatch()) is not null)
        {
            using (batch)
            {
                builders ??= Builders(batch.Schema, path);
                for (int c = 0; c < builders.Length; c++) Append(builders[c], batch.Column(c), batch.Schema.FieldsList[c]);
            }
        }
        if (builders is null) throw new MixedModelsDataException($"'{path}' holds no record batch (no rows and no columns to read)");
        return new Table(builders.Select(b => b.Build()));
    }

    private static ColumnBuilder[] Builders(Schema schema, string path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var builders = new ColumnBuilder[schema.FieldsList.Count];
        for (int i = 0; i < builders.Length; i++)
        {
            string name = schema.FieldsList[i].Name;
            if (string.IsNullOrEmpty(name)) throw new MixedModelsDataException($"column {i + 1} of '{path}' has no name");
            if (!seen.Add(name)) throw new MixedModelsDataException($"'{path}' names column '{name}' twice", column: name);
            builders[i] = new ColumnBuilder(name);
        }
        return builders;
    }

    private static void Append(ColumnBuilder b, IArrowArray array, Field field)
    {
        switch (array)
        {
            case DictionaryArray dict:
                var values = dict.Dictionary;
                var indices = dict.Indices;
                for (int i = 0; i < dict.Length; i++)
                {
                    if (dict.IsNull(i)) { b.AddMissing(); continue; }
                    // Integer indices of any width, read through the numeric conversion (exact below 2^53).
                    long k = (long)Number(indices, i);
                    if (values.IsNull((int)k)) b.AddMissing();
                    else b.AddCategory(Text(values, (int)k, field));
                }
                return;
            case BooleanArray booleans:
                for (int i = 0; i < booleans.Length; i++)
                    if (booleans.GetValue(i) is bool v) b.AddCategory(v ? "TRUE" : "FALSE");
                    else b.AddMissing();
                return;
        }
        if (IsNumeric(array.Data.DataType.TypeId))
        {
            for (int i = 0; i < array.Length; i++)
                if (array.IsNull(i)) b.AddMissing();
                else b.AddNumber(Number(array, i));
            return;
        }
        for (int i = 0; i < array.Length; i++)
            if (array.IsNull(i)) b.AddMissing();
            else b.AddCategory(Text(array, i, field));
    }

    private static bool IsNumeric(ArrowTypeId id) => id is ArrowTypeId.Int8 or ArrowTypeId.Int16 or ArrowTypeId.Int32 or ArrowTypeId.Int64
        or ArrowTypeId.UInt8 or ArrowTypeId.UInt16 or ArrowTypeId.UInt32 or ArrowTypeId.UInt64 or ArrowTypeId.HalfFloat or ArrowTypeId.Float
        or ArrowTypeId.Double or ArrowTypeId.Decimal32 or ArrowTypeId.Decimal64 or ArrowTypeId.Decimal128 or ArrowTypeId.Decimal256;

    private static double Number(IArrowArray a, int i) => a switch
    {
        DoubleArray x => x.GetValue(i)!.Value,
        FloatArray x => x.GetValue(i)!.Value,
        HalfFloatArray x => (double)x.GetValue(i)!.Value,
        Int8Array x => x.GetValue(i)!.Value,
        Int16Array x => x.GetValue(i)!.Value,
        Int32Array x => x.GetValue(i)!.Value,
        Int64Array x => x.GetValue(i)!.Value,
        UInt8Array x => x.GetValue(i)!.Value,
        UInt16Array x => x.GetValue(i)!.Value,
        UInt32Array x => x.GetValue(i)!.Value,
        UInt64Array x => x.GetValue(i)!.Value,
        Decimal128Array x => double.Parse(x.GetString(i)!, CultureInfo.InvariantCulture),
        Decimal256Array x => double.Parse(x.GetString(i)!, CultureInfo.InvariantCulture),
        _ => throw new MixedModelsDataException($"a numeric column of type {a.Data.DataType.Name} cannot be read"),
    };

    private static string Text(IArrowArray a, int i, Field field) => a switch
    {
        StringArray s => s.GetString(i),
        LargeStringArray s => s.GetString(i),
        StringViewArray s => s.GetString(i),
        Date32Array d => ValueTypes.DateTimeText(d.GetDateOnly(i)!.Value),
        Date64Array d => ValueTypes.DateTimeText(d.GetDateOnly(i)!.Value),
        TimestampArray t => ValueTypes.DateTimeText(t.GetTimestamp(i)!.Value.UtcDateTime),
        _ when IsNumeric(a.Data.DataType.TypeId) => Number(a, i).ToString("R", CultureInfo.InvariantCulture),
        _ => throw new MixedModelsDataException($"column '{field.Name}' has the Arrow type {a.Data.DataType.Name}, which cannot be used in a model (a list, structure or binary value)", column: field.Name),
    };
}

namespace MixedModels.Data;

/// <summary>RFC 4180 quotes as this reader has always taken them.</summary>
internal static class CsvQuotes
{
    /// <summary>
    /// The text of a field that holds a quote: spaces or tabs, a quoted part with doubled quotes for quotes, spaces or
    /// tabs. Anything else is refused. The text is written to <paramref name="buffer"/> (grown as needed).
    /// </summary>
    public static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> field, long line, ref char[] buffer)
    {
        int open = field.IndexOf('"');
        if (!field[..open].Trim(" \t").IsEmpty)
            throw new MixedModelsDataException("a quote character inside an unquoted field; quote the whole field and double any quote inside it", line);
        if (buffer.Length < field.Length) buffer = new char[Math.Max(field.Length, 2 * buffer.Length)];
        int length = 0, i = open + 1;
        while (true)
        {
            int q = field[i..].IndexOf('"');
            if (q < 0) throw new MixedModelsDataException("a quoted field that starts on this line is never closed", line);
            field.Slice(i, q).CopyTo(buffer.AsSpan(length));
            length += q;
            i += q + 1;
            if (i < field.Length && field[i] == '"') { buffer[length++] = '"'; i++; continue; }
            break;
        }
        var after = field[i..].TrimStart(" \t");
        if (!after.IsEmpty) throw new MixedModelsDataException($"unexpected character '{after[0]}' after the closing quote of a field", line);
        return buffer.AsSpan(0, length);
    }
}

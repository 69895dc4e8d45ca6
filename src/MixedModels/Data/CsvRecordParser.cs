namespace MixedModels.Data;

/// <summary>
/// Splits CSV text into records and fields in one streaming pass (RFC 4180 quoting: a quoted field may hold
/// separators, line breaks and doubled quotes). Tracks line numbers for error messages. The fields of the current
/// record are views into a reused buffer, valid until the next call of <see cref="ReadRecord"/>.
/// </summary>
internal sealed class CsvRecordParser(TextReader reader, char separator)
{
    private readonly char[] _buffer = new char[1 << 16];
    private int _pos, _len;
    private bool _eof;
    private char[] _record = new char[1024];
    private int _recordLength;
    private readonly List<(int Start, int Length, bool Quoted)> _fields = [];

    /// <summary>The 1-based line at which the current record starts.</summary>
    public long RecordLine { get; private set; }

    /// <summary>The 1-based line the parser is on.</summary>
    public long Line { get; private set; } = 1;

    public int FieldCount => _fields.Count;

    public ReadOnlySpan<char> Field(int i) => _record.AsSpan(_fields[i].Start, _fields[i].Length);

    public bool IsQuoted(int i) => _fields[i].Quoted;

    /// <summary>True when the current record is an empty line.</summary>
    public bool IsBlank => _fields.Count == 1 && _fields[0].Length == 0 && !_fields[0].Quoted;

    /// <summary>The field separator in use.</summary>
    public char Separator => separator;

    /// <summary>
    /// Before the first record: if the first line (as far as the first buffer holds it) has no comma outside quotes
    /// but has semicolons or tabs, switches to the more frequent of those.
    /// </summary>
    public void DetectSeparator()
    {
        if (separator != ',' || Peek() < 0) return;
        int commas = 0, semicolons = 0, tabs = 0;
        bool quoted = false;
        for (int i = _pos; i < _len; i++)
        {
            char c = _buffer[i];
            if (c == '"') quoted = !quoted;
            else if (quoted) continue;
            else if (c is '\n' or '\r') break;
            else if (c == ',') commas++;
            else if (c == ';') semicolons++;
            else if (c == '\t') tabs++;
        }
        if (commas == 0 && semicolons + tabs > 0) separator = semicolons >= tabs ? ';' : '\t';
    }

    private int Peek()
    {
        if (_pos == _len)
        {
            if (_eof) return -1;
            _len = reader.Read(_buffer, 0, _buffer.Length);
            _pos = 0;
            if (_len == 0) { _eof = true; return -1; }
        }
        return _buffer[_pos];
    }

    private int Next()
    {
        int c = Peek();
        if (c >= 0) _pos++;
        return c;
    }

    /// <summary>The longest record accepted (characters): a longer line is not a table row but a broken or binary file.</summary>
    public const int MaxRecordLength = 64 << 20;

    private void Append(char c)
    {
        if (_recordLength == _record.Length)
        {
            if (_record.Length >= MaxRecordLength)
                throw new DataException($"the row starting here is longer than {MaxRecordLength >> 20} million characters; this is not a CSV table (or a quote is never closed)", RecordLine);
            Array.Resize(ref _record, Math.Min(MaxRecordLength, _record.Length * 2));
        }
        _record[_recordLength++] = c;
    }

    /// <summary>Reads the next record; false at the end of the input.</summary>
    public bool ReadRecord()
    {
        _fields.Clear();
        _recordLength = 0;
        if (Peek() < 0) return false;
        RecordLine = Line;
        while (true)
        {
            int start = _recordLength;
            bool quoted = false;
            while (true)
            {
                int c = Peek();
                if (c == separator || c == '\n' || c == '\r' || c < 0) break;
                if (c == '"')
                {
                    if (!OnlySpaces(start)) throw new DataException(
                        "a quote character inside an unquoted field; quote the whole field and double any quote inside it", Line);
                    _recordLength = start;
                    Next();
                    ReadQuoted();
                    quoted = true;
                    break;
                }
                Next();
                Append((char)c);
            }
            _fields.Add((start, _recordLength - start, quoted));
            int end = Next();
            if (end == separator) continue;
            if (end == '\r' && Peek() == '\n') Next();
            if (end >= 0) Line++;
            return true;
        }
    }

    private bool OnlySpaces(int start)
    {
        for (int i = start; i < _recordLength; i++) if (_record[i] != ' ' && _record[i] != '\t') return false;
        return true;
    }

    private void ReadQuoted()
    {
        long startLine = Line;
        while (true)
        {
            int c = Next();
            if (c < 0) throw new DataException("a quoted field that starts on this line is never closed", startLine);
            if (c == '"')
            {
                if (Peek() == '"') { Next(); Append('"'); continue; }
                break;
            }
            if (c == '\n') Line++;
            Append((char)c);
        }
        while (Peek() is ' ' or '\t') Next();
        int after = Peek();
        if (after != separator && after != '\n' && after != '\r' && after >= 0)
            throw new DataException($"unexpected character '{(char)after}' after the closing quote of a field", Line);
    }
}

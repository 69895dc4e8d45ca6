namespace MixedModels.Data;

/// <summary>
/// The text on its way to the CSV parser: holds the first block back so the separator can be chosen from the header
/// line, and bounds the length of a record (a line, or lines joined by a quoted field) so that a file with no line
/// breaks, or a quote that is never closed, is refused before it fills memory. The quote state is tracked over whole
/// blocks with a vectorized search, so the check costs one pass over the text.
/// </summary>
internal sealed class CsvTextGuard(TextReader inner) : TextReader
{
    /// <summary>
    /// The longest record accepted (characters; half of Sep's buffer limit, 16M): a longer one is not a table row but a broken or
    /// binary file.
    /// </summary>
    public const int MaxRecordLength = 8 << 20;

    private static readonly System.Buffers.SearchValues<char> QuoteOrNewline = System.Buffers.SearchValues.Create("\"\n");

    private char[]? _head;
    private int _headPos, _headLen;
    private bool _inQuotes;
    private long _recordLength, _line = 1, _recordStartLine = 1;

    /// <summary>The first line of the text, as far as the first block holds it (read once, then given to the parser).</summary>
    public ReadOnlySpan<char> FirstLine()
    {
        if (_head is null)
        {
            _head = new char[1 << 16];
            _headLen = inner.ReadBlock(_head, 0, _head.Length);
        }
        var text = _head.AsSpan(0, _headLen);
        int end = text.IndexOfAny('\n', '\r');
        return end < 0 ? text : text[..end];
    }

    /// <inheritdoc/>
    public override int Read(Span<char> buffer)
    {
        int n;
        if (_head is not null && _headPos < _headLen)
        {
            n = Math.Min(buffer.Length, _headLen - _headPos);
            _head.AsSpan(_headPos, n).CopyTo(buffer);
            _headPos += n;
        }
        else n = inner.Read(buffer);
        Scan(buffer[..n]);
        return n;
    }

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
    {
        if (_head is not null && _headPos < _headLen) return Read(buffer.Span);
        int n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Scan(buffer.Span[..n]);
        return n;
    }

    /// <inheritdoc/>
    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    /// <inheritdoc/>
    public override int Peek() => -1;

    /// <summary>Follows quotes and line breaks through a block; throws once a record passes the limit.</summary>
    private void Scan(ReadOnlySpan<char> block)
    {
        while (!block.IsEmpty)
        {
            int i = block.IndexOfAny(QuoteOrNewline);
            if (i < 0) { Grow(block.Length); return; }
            Grow(i + 1);
            if (block[i] == '"') _inQuotes = !_inQuotes;
            else
            {
                _line++;
                if (!_inQuotes) { _recordLength = 0; _recordStartLine = _line; }
            }
            block = block[(i + 1)..];
        }
    }

    private void Grow(int n)
    {
        _recordLength += n;
        if (_recordLength > MaxRecordLength)
            throw new MixedModelsDataException(
                $"the row starting here is longer than {MaxRecordLength >> 20} million characters; this is not a CSV table (or a quote is never closed)", _recordStartLine);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

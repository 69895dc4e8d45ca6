namespace MixedModels.Data;

/// <summary>
/// The text on its way to the CSV parser: holds the first block back so the separator can be chosen from the header
/// line, then passes the text through. (The length of a record is bounded by Sep itself: see <see cref="MaxRecordLength"/>.)
/// </summary>
internal sealed class CsvTextGuard(TextReader inner) : TextReader
{
    /// <summary>
    /// The longest record accepted (characters): Sep's buffer limit, beyond which it stops with NotSupportedException,
    /// which the reader turns into a message with the line. A longer row is not a table row but a broken or binary file
    /// (or a quote that is never closed), and memory stays bounded.
    /// </summary>
    public const int MaxRecordLength = 16 << 20;

    private char[]? _head;
    private int _headPos, _headLen;

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
        return n;
    }

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
    {
        if (_head is not null && _headPos < _headLen) return Read(buffer.Span);
        return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    /// <inheritdoc/>
    public override int Peek() => -1;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

using MixedModels.Data;
using Xunit;

namespace MixedModels.Tests.Data;

/// <summary>The CSV reader streams: rows come from a reader that never holds the whole text, and memory tracks the data, not the text.</summary>
[Collection(nameof(MixedModels.Tests.Estimation.AllocationMeasurement))]
public sealed class StreamingTests
{
    /// <summary>A forward-only reader that generates "y,x,g" rows on demand (the text never exists as a whole).</summary>
    private sealed class GeneratedCsv(int rows) : TextReader
    {
        private readonly char[] _line = new char[64];
        private int _pos, _length, _row = -1;

        /// <summary>Formats the next row into the reused line buffer (no allocation per row).</summary>
        private void NextLine()
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            var span = _line.AsSpan();
            int n = 0;
            if (_row == 0) { "y,x,g\n".CopyTo(span); _length = 6; return; }
            int r = _row - 1;
            (r * 0.25 % 97).TryFormat(span, out int w, "R", inv); n += w;
            span[n++] = ',';
            (r % 13).TryFormat(span[n..], out w, default, inv); n += w;
            span[n++] = ','; span[n++] = 'g';
            (r % 500).TryFormat(span[n..], out w, default, inv); n += w;
            span[n++] = '\n';
            _length = n;
        }

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            int written = 0;
            while (written < buffer.Length)
            {
                if (_pos == _length)
                {
                    if (++_row > rows) break;
                    NextLine();
                    _pos = 0;
                }
                int n = Math.Min(buffer.Length - written, _length - _pos);
                _line.AsSpan(_pos, n).CopyTo(buffer[written..]);
                _pos += n;
                written += n;
            }
            return written;
        }

        public override int Peek() => throw new NotSupportedException("the reader must not need Peek");
        public override int Read() => throw new NotSupportedException("the reader must read blocks");
    }

    [Fact]
    public void AMillionRowsStreamWithMemoryProportionalToTheData()
    {
        const int rows = 1_000_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var t = Table.ReadCsv(new GeneratedCsv(rows));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(rows, t.RowCount);
        Assert.Equal(500, ((CategoricalColumn)t["g"]).Levels.Count);
        Assert.Equal(999_999 * 0.25 % 97, ((NumericColumn)t["y"])[rows - 1]);
        // The stored data: two double columns and one int code column = 20 MB. Growing arrays by doubling and the
        // final copies allocate about three times that (62 MB measured); keeping the text as well would add 40 MB
        // (UTF-16), one string per field over 100 MB.
        long data = rows * (8L + 8L + 4L);
        Assert.True(allocated < 4 * data, $"allocated {allocated / 1e6:F1} MB for {data / 1e6:F1} MB of data");
    }
}

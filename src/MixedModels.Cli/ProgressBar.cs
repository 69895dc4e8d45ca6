namespace MixedModels.Cli;

/// <summary>
/// A one-line progress display on standard error, drawn only when standard error is a terminal (nothing when it is
/// redirected, so logs and pipes stay clean): a bar when the total is known, a running count otherwise. Appears
/// only after a delay, so quick work shows nothing. Redraws at most ten times a second; thread-safe.
/// </summary>
internal sealed class ProgressBar : IProgress<int>, IProgress<long>, IDisposable
{
    private readonly string _label;
    private readonly long _total;
    private readonly string _unit;
    private readonly long _delayMs;
    private readonly long _scale;
    private readonly TextWriter _error;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private long _lastDraw = -1000;
    private int _width;

    private ProgressBar(string label, long total, string unit, long delayMs, long scale, TextWriter error)
    {
        _label = label; _total = total; _unit = unit; _delayMs = delayMs; _scale = scale; _error = error;
    }

    /// <summary>
    /// A bar towards <paramref name="total"/> when standard error is interactive, null otherwise; values are shown
    /// divided by <paramref name="scale"/> (bytes as MB with 2^20).
    /// </summary>
    public static ProgressBar? Start(string label, long total, string unit = "", long delayMs = 0, long scale = 1) =>
        Console.IsErrorRedirected ? null : new ProgressBar(label, total, unit, delayMs, scale, Console.Error);

    /// <summary>A running count (no known total) shown after a second, when standard error is interactive.</summary>
    public static ProgressBar? Count(string label, string unit) =>
        Console.IsErrorRedirected ? null : new ProgressBar(label, -1, unit, 1000, 1, Console.Error);

    public void Report(int value) => Report((long)value);

    public void Report(long value)
    {
        lock (_lock)
        {
            long now = _clock.ElapsedMilliseconds;
            if (now < _delayMs || (value != _total && now - _lastDraw < 100)) return;
            _lastDraw = now;
            string text;
            if (_total < 0) text = $"\r{_label}: {value} {_unit}  {now / 1000.0:F1} s ";
            else
            {
                const int width = 30;
                int filled = _total == 0 ? width : (int)(width * Math.Min(value, _total) / _total);
                text = $"\r{_label} [{new string('#', filled)}{new string('.', width - filled)}] {value / _scale}/{_total / _scale}{_unit}  {now / 1000.0:F1} s ";
            }
            _width = Math.Max(_width, text.Length);
            _error.Write(text);
        }
    }

    public void Dispose()
    {
        lock (_lock)
            if (_width > 0) _error.Write("\r" + new string(' ', _width) + "\r");
    }
}

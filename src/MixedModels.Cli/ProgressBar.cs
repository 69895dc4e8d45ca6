namespace MixedModels.Cli;

/// <summary>
/// A one-line progress bar on standard error, drawn only when standard error is a terminal (nothing when it is
/// redirected, so logs and pipes stay clean). Redraws at most ten times a second; thread-safe.
/// </summary>
internal sealed class ProgressBar : IProgress<int>, IDisposable
{
    private readonly string _label;
    private readonly int _total;
    private readonly TextWriter _error;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private long _lastDraw = -1000;
    private bool _drawn;

    private ProgressBar(string label, int total, TextWriter error) { _label = label; _total = total; _error = error; }

    /// <summary>A bar when standard error is interactive, null otherwise.</summary>
    public static ProgressBar? Start(string label, int total) =>
        Console.IsErrorRedirected ? null : new ProgressBar(label, total, Console.Error);

    public void Report(int value)
    {
        lock (_lock)
        {
            long now = _clock.ElapsedMilliseconds;
            if (value < _total && now - _lastDraw < 100) return;
            _lastDraw = now;
            const int width = 30;
            int filled = _total == 0 ? width : (int)((long)width * Math.Min(value, _total) / _total);
            _error.Write($"\r{_label} [{new string('#', filled)}{new string('.', width - filled)}] {value}/{_total}  {now / 1000.0:F1} s ");
            _drawn = true;
        }
    }

    public void Dispose()
    {
        lock (_lock)
            if (_drawn) _error.Write("\r" + new string(' ', _label.Length + 60) + "\r");
    }
}

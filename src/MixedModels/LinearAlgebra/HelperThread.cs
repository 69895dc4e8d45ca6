namespace MixedModels.LinearAlgebra;

/// <summary>A piece of work split in two halves: part 0 runs on the calling thread, part 1 on the helper thread.</summary>
internal interface ISplitJob
{
    void Execute(int part);
}

/// <summary>
/// One background thread that takes the second half of a large kernel (the trailing update of a dense Cholesky), so
/// that a fit uses both cores of a 2-core machine without allocating: jobs are preallocated objects, the handshake is
/// two reusable events. When the helper is busy (another fit on another thread is using it) the caller simply does
/// all the work itself, so concurrent fits never wait for each other here.
/// </summary>
internal sealed class HelperThread
{
    public static readonly HelperThread Instance = new();

    private readonly object _gate = new();
    /// <summary>
    /// Both sides spin (up to the event's maximum spin count, yielding now and then) before blocking: within one
    /// evaluation the jobs come every few hundred microseconds (the panels of a dense Cholesky), and waking a blocked
    /// thread costs tens of microseconds on a virtual machine (insteval's objective 12.3 -> 10.7 ms).
    /// </summary>
    private readonly ManualResetEventSlim _start = new(false, 2047), _done = new(false, 2047);
    private Thread? _thread;
    private ISplitJob? _job;
    private Exception? _failure;

    private HelperThread()
    {
        // A ManualResetEventSlim allocates its lock object the first time a wait blocks; make that happen now, so
        // that no objective evaluation ever allocates.
        _start.Wait(1);
        _done.Wait(1);
        // Start the thread now (the first use of the helper), not at the first parallel kernel: that may come later,
        // inside an evaluation that must not allocate, if the helper was busy with another caller before.
        if (Available) EnsureStarted();
    }

    /// <summary>True when there is a second core to use.</summary>
    public static bool Available { get; } = Environment.ProcessorCount > 1;

    /// <summary>Runs both halves of <paramref name="job"/>, in parallel when the helper is free; otherwise both on this thread.</summary>
    public void Run(ISplitJob job)
    {
        if (!Available || !Monitor.TryEnter(_gate))
        {
            job.Execute(0);
            job.Execute(1);
            return;
        }
        try
        {
            EnsureStarted();
            _job = job;
            _failure = null;
            _done.Reset();
            _start.Set();
            job.Execute(0);
            _done.Wait();
            if (_failure is not null) throw new InvalidOperationException("a parallel kernel failed", _failure);
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    private void EnsureStarted()
    {
        if (_thread is not null) return;
        _thread = new Thread(Loop) { IsBackground = true, Name = "MixedModels helper" };
        _thread.Start();
    }

    private void Loop()
    {
        while (true)
        {
            _start.Wait();
            _start.Reset();
            try { _job!.Execute(1); }
            catch (Exception e) { _failure = e; }
            _done.Set();
        }
    }
}

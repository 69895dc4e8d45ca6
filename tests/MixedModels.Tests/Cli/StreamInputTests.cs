using System.Diagnostics;
using MixedModels.Cli;
using MixedModels.Data;
using Xunit;

namespace MixedModels.Tests.Cli;

/// <summary>
/// Inputs and outputs that are not ordinary files (issue 10, point 5): a pipe or FIFO as --data, a stream that
/// cannot seek, a line longer than the record limit, standard output on a full device.
/// </summary>
public sealed class StreamInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mixed-streams-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A stream that reads like a pipe: no seeking, no length.</summary>
    private sealed class PipeLike(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 1000));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static byte[] SleepstudyCsv()
    {
        var w = new StringWriter();
        Datasets.Load("sleepstudy").WriteCsv(w);
        return System.Text.Encoding.UTF8.GetBytes(w.ToString());
    }

    [Fact]
    public void AStreamThatCannotSeekIsRead()
    {
        var t = Table.ReadCsv(new PipeLike(SleepstudyCsv()));
        Assert.Equal(180, t.RowCount);
        Assert.Equal(Datasets.Load("sleepstudy")["Reaction"].IsMissing(0), t["Reaction"].IsMissing(0));
        var spreadsheet = new byte[] { (byte)'P', (byte)'K', 3, 4, 0, 0 };
        Assert.Throws<MixedModelsDataException>(() => Table.ReadCsv(new PipeLike(spreadsheet)));
    }

    [Fact]
    public async Task AFifoIsReadAsData()
    {
        if (OperatingSystem.IsWindows()) return;
        string fifo = Path.Combine(_dir, "data.csv");
        using (var mk = Process.Start("mkfifo", fifo)) mk.WaitForExit();
        var bytes = SleepstudyCsv();
        var writer = Task.Run(() => { using var f = new FileStream(fifo, FileMode.Open, FileAccess.Write); f.Write(bytes); });
        var (code, text, err) = CliTests.Run("fit", "--data", fifo, "--factor", "Subject", "--formula", "Reaction ~ Days + (Days | Subject)");
        await writer;
        Assert.True(code == 0, err);
        Assert.Contains("REML criterion at convergence: 1743.6", text);
    }

    [Fact]
    public void ALineBeyondTheRecordLimitIsRefusedWithItsLine()
    {
        string path = Path.Combine(_dir, "long.csv");
        using (var w = new StreamWriter(path))
        {
            w.Write("y,x\n1,2\n3,");
            w.Write(new string('a', CsvRecordParserLimit + 10));
            w.Write('\n');
        }
        BadInputTests.AssertUserError(["describe", "--data", path], "line 3", "longer than");
    }

    private static int CsvRecordParserLimit => MixedModels.Data.CsvTextGuard.MaxRecordLength;

    private sealed class FullDevice : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public override void Write(char value) => throw new IOException("No space left on device");
        public override void Write(string? value) => throw new IOException("No space left on device");
    }

    [Fact]
    public void StandardOutputOnAFullDeviceIsAUserError()
    {
        var err = new StringWriter();
        int code = CliRunner.Run(MixedModels.Cli.CommandLine.Create(), ["fit", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (1 | Subject)"], new FullDevice(), err);
        Assert.Equal(1, code);
        Assert.Contains("cannot write the output: No space left on device", err.ToString());
    }
}

/// <summary>bench --export writes each CSV through a temporary file and a rename (issue 10, point 4).</summary>
public sealed class ExportAtomicityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mixed-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AFailedExportLeavesNoPartialFileAndAnOldFileWhole()
    {
        var models = MixedModels.Benchmarks.BenchmarkSuite.Models.Where(m => m.Name is "sleepstudy" or "penicillin").ToArray();
        // an old export of penicillin, and a sleepstudy target that cannot be replaced (a directory of that name)
        File.WriteAllText(Path.Combine(_dir, "penicillin.csv"), "old\n");
        Directory.CreateDirectory(Path.Combine(_dir, "sleepstudy.csv"));
        Assert.ThrowsAny<IOException>(() => MixedModels.Benchmarks.BenchmarkSuite.Export(_dir, models));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
        Assert.Equal("old\n", File.ReadAllText(Path.Combine(_dir, "penicillin.csv")));
        Directory.Delete(Path.Combine(_dir, "sleepstudy.csv"));
        var paths = MixedModels.Benchmarks.BenchmarkSuite.Export(_dir, models);
        Assert.Equal(2, paths.Count);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
        Assert.StartsWith("Reaction", File.ReadAllText(Path.Combine(_dir, "sleepstudy.csv")).Trim('"'));
    }
}

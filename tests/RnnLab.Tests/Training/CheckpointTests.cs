using RnnLab.Checkpoints;
using RnnLab.Tracking;
using RnnLab.Training;

namespace RnnLab.Tests.Training;

public sealed class CheckpointTests
{
    private static string SavedRun(TempDir dir, CellKind cell = CellKind.Gru)
    {
        var path = dir.Write("data.txt", Corpora.ShakespeareSlice(3_000));
        var config = Corpora.SmallConfig(path, CorpusMode.Stream, cell) with
        {
            Train = new TrainConfig { Steps = 4, EvalEvery = 4, LogEvery = 2, SampleLength = 0 },
        };
        var options = new LaunchOptions { Config = config, Out = dir.File("run") };
        RunLauncher.Launch(options, RunLauncher.PrepareCorpus(options), new NullObserver());
        return dir.File("run");
    }

    [Theory]
    [InlineData(CellKind.Lstm)]
    [InlineData(CellKind.RnnRelu)]
    public void RoundTripGivesIdenticalLogits(CellKind cell)
    {
        using var dir = new TempDir();
        var run = SavedRun(dir, cell);
        using var scope = torch.NewDisposeScope();
        var input = torch.randint(4, 20, [2, 9]);

        using var first = Checkpoint.Load(Path.Combine(run, RunFolder.BestCheckpoint)).CreateModel(torch.CPU);
        using var second = Checkpoint.Load(Path.Combine(run, RunFolder.LastCheckpoint)).CreateModel(torch.CPU);
        first.eval();
        second.eval();

        Assert.Equal(first.forward(input, null).Logits.data<float>().ToArray(),
            second.forward(input, null).Logits.data<float>().ToArray());
        Assert.Equal(cell, Checkpoint.Load(Path.Combine(run, RunFolder.BestCheckpoint)).Manifest.Config.Model.Cell);
    }

    [Fact]
    public void TruncatedFileIsReportedAsTruncated()
    {
        using var dir = new TempDir();
        var best = Path.Combine(SavedRun(dir), RunFolder.BestCheckpoint);
        var bytes = File.ReadAllBytes(best);
        var cut = dir.WriteBytes("cut.ckpt", bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<RnnLabException>(() => Checkpoint.Load(cut));

        Assert.StartsWith($"{cut} is truncated or corrupt", error.Message);
    }

    [Fact]
    public void ForeignFilesAreNamedAsSuch()
    {
        using var dir = new TempDir();
        var text = dir.Write("notes.txt", "hello");
        var zip = dir.File("other.zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
        {
            archive.CreateEntry("readme.md");
        }

        Assert.Equal($"{text} is not an RnnLab checkpoint (it is not a zip archive; was it written by another tool?)",
            Assert.Throws<RnnLabException>(() => Checkpoint.Load(text)).Message);
        Assert.Equal($"{zip} is a zip archive but not an RnnLab checkpoint (no manifest.json)",
            Assert.Throws<RnnLabException>(() => Checkpoint.Load(zip)).Message);
    }

    [Fact]
    public void CorruptEntryFailsItsChecksum()
    {
        using var dir = new TempDir();
        var best = Path.Combine(SavedRun(dir), RunFolder.BestCheckpoint);
        var copy = dir.File("tampered.ckpt");
        File.Copy(best, copy);
        using (var archive = System.IO.Compression.ZipFile.Open(copy, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = archive.GetEntry("model.bin")!;
            using var stream = entry.Open();
            stream.Position = 100;
            stream.WriteByte(0x5A);
        }

        var error = Assert.Throws<RnnLabException>(() => Checkpoint.Load(copy));

        Assert.Equal($"{copy} is corrupt: entry 'model.bin' is missing or fails its checksum", error.Message);
    }

    [Fact]
    public void FailedWriteLeavesThePreviousFileWhole()
    {
        using var dir = new TempDir();
        var path = dir.Write("state.bin", "previous");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial"u8);
            throw new IOException("disk full");
        }));

        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(dir.Path));
    }
}

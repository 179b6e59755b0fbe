using System.Text.Json;
using RnnLab.Classification;
using RnnLab.Seq2Seq;

namespace RnnLab.Tests.Seq2Seq;

// A stop signal ends a seq2seq run in seconds with its work saved, wherever it lands.
public sealed class Seq2SeqInterruptTests
{
    // cancels the run's token after the given step: the signal of a user who presses Ctrl-C then
    private sealed class CancelAfter(long step, CancellationTokenSource source) : IClassifierObserver
    {
        public List<string> Lines { get; } = [];

        public void Started(long? totalSteps, double? timeLimitSeconds)
        {
        }

        public void Stepped(long done, double elapsedSeconds)
        {
            if (done == step)
            {
                source.Cancel();
            }
        }

        public void Line(string text) => Lines.Add(text);
    }

    private static PreparedPairs Pairs(TempDir dir, Seq2SeqConfig config)
    {
        var lines = Enumerable.Range(0, 80).Select(i => $"w{i % 7}x{i % 5}\t{i % 5}y{i % 7}");
        dir.Write("pairs.tsv", string.Join("\n", lines) + "\n");
        return PreparedPairs.Prepare(config);
    }

    [Theory]
    [InlineData(3)] // mid-epoch: the loop sees the signal before its next step
    [InlineData(4)] // the epoch's last step: the signal lands in the validation pass that follows
    public void AnInterruptedRunSavesItsStepsAndSaysInterrupted(long cancelAfter)
    {
        using var dir = new TempDir();
        var config = new Seq2SeqConfig
        {
            Name = "t", Data = new PairDataConfig { Path = dir.File("pairs.tsv"), Format = PairFormat.Tsv },
            Model = new Seq2SeqModelConfig { Hidden = 8, Embedding = 4, Attention = AttentionKind.Dot },
            Train = new Seq2SeqTrainConfig { Epochs = 3, BatchSize = 16, Beam = 2 },
        };
        var data = Pairs(dir, config);
        using var source = new CancellationTokenSource();
        var observer = new CancelAfter(cancelAfter, source);

        var (run, result) = Seq2SeqLauncher.Launch(config, data, dir.File("run"), observer, torch.CPU, source.Token);

        Assert.Equal(64, data.Splits.Train.Length); // 4 batches of 16: step 4 ends the first epoch
        Assert.Equal(("interrupted", cancelAfter), (result.StopReason, result.Steps));
        Assert.Null(result.Greedy);
        var status = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Path, "status.json"))).RootElement;
        Assert.Equal("interrupted", status.GetProperty("reason").GetString());
        Assert.Equal("Interrupted", status.GetProperty("state").GetString());
        var last = Seq2SeqCheckpoint.Load(Path.Combine(run.Path, "last.ckpt"));
        Assert.Equal(cancelAfter, last.Manifest.Step);
        Assert.True(File.Exists(Path.Combine(run.Path, "best.ckpt")));
        Assert.False(File.Exists(Path.Combine(run.Path, "test-metrics.json")));
        Assert.Contains(observer.Lines, l => l.StartsWith($"eval (interrupted) | step {cancelAfter} |"));
        Assert.DoesNotContain(observer.Lines, l => l.StartsWith("eval epoch"));
    }
}

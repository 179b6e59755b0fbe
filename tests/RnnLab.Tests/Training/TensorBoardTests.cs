using System.Text.Json;
using RnnLab.Tracking;
using CommandLine = RnnLab.Tests.Support.Cli;

namespace RnnLab.Tests.Training;

// --tensorboard: the event files hold metrics.jsonl's figures under TensorBoard's tags, at their steps.
public sealed class TensorBoardTests
{
    // metrics.jsonl's key for each tag, by record kind
    private static readonly (string Kind, string Key, string Tag)[] Keys =
    [
        ("train", "loss", "train/loss"), ("train", "bpc", "train/bpc"), ("train", "lr", "train/lr"),
        ("train", "grad", "train/grad_norm"), ("train", "char_per_s", "train/char_per_s"),
        ("train", "eos_state", "train/eos_state"),
        ("eval", "val_loss", "val/loss"), ("eval", "val_bpc", "val/bpc"), ("eval", "val_ppl", "val/ppl"),
        ("eval", "val_eos_state_norm", "val/eos_state_norm"),
    ];

    private static string[] TinyRun(TempDir dir, string steps)
    {
        var lines = Enumerable.Range(0, 40).Select(i => Corpora.Tweets[i % 8] + i);
        var data = dir.Write("d.txt", string.Join("\n", lines));
        return ["train", "--data", data, "--mode", "documents", "--eos-state-loss", "0.1", "--cell", "gru",
            "--layers", "1", "--hidden", "16", "--embedding", "8", "--batch-size", "4", "--bptt", "8",
            "--steps", steps, "--log-every", "1", "--eval-every", "2", "--eval-batches", "1", "--sample-length", "0",
            "--out", dir.File("run"), "--tensorboard"];
    }

    // every (tag, step, value) metrics.jsonl implies, as the float TensorBoard stores
    private static List<(string Tag, long Step, float Value)> Expected(string run)
    {
        var expected = new List<(string, long, float)>();
        foreach (var line in File.ReadLines(Path.Combine(run, "metrics.jsonl")))
        {
            using var record = JsonDocument.Parse(line);
            var root = record.RootElement;
            var step = root.GetProperty("step").GetInt64();
            foreach (var (kind, key, tag) in Keys.Where(k => k.Kind == root.GetProperty("kind").GetString()))
            {
                Assert.True(root.TryGetProperty(key, out var value), $"metrics.jsonl has no {key}: {line}");
                expected.Add((tag, step, (float)value.GetDouble()));
            }
        }
        return expected;
    }

    [Fact]
    public void Training_with_tensorboard_writes_every_figure_of_metrics_jsonl_at_its_step()
    {
        using var dir = new TempDir();

        CommandLine.Run(dir.Path, TinyRun(dir, "4")).Exits(0);

        var file = Assert.Single(TensorBoardEvents.Files(dir.File("run")));
        var events = EventFiles.Read(file);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        var scalars = EventFiles.Scalars(file);
        Assert.Equal(Expected(dir.File("run")), scalars);
        Assert.Equal([1L, 2, 3, 4], scalars.Where(s => s.Tag == "train/loss").Select(s => s.Step));
        Assert.Equal([2L, 4], scalars.Where(s => s.Tag == "val/bpc").Select(s => s.Step));
        Assert.Contains("\"tensorboard\": true", File.ReadAllText(dir.File("run/config.json")));
    }

    [Fact]
    public void A_resumed_run_keeps_writing_into_a_new_event_file()
    {
        using var dir = new TempDir();
        CommandLine.Run(dir.Path, TinyRun(dir, "4")).Exits(0);

        // no --tensorboard: the run's config keeps it on
        CommandLine.Run(dir.Path, "train", "--resume", dir.File("run"), "--steps", "6").Exits(0);

        var files = TensorBoardEvents.Files(dir.File("run"));
        Assert.Equal(2, files.Count);
        Assert.Equal(Expected(dir.File("run")), files.SelectMany(EventFiles.Scalars).ToList());
        Assert.Equal([5L, 6], EventFiles.Scalars(files[1]).Where(s => s.Tag == "train/loss").Select(s => s.Step));
    }

    [Fact]
    public void Resuming_drops_the_events_after_the_checkpoint_and_a_torn_last_record()
    {
        using var dir = new TempDir();
        var run = dir.File("run");
        var writer = torch.utils.tensorboard.SummaryWriter(Path.Combine(run, TensorBoardEvents.Folder));
        for (var step = 1; step <= 8; step++)
        {
            writer.add_scalar("train/loss", step / 10f, step);
        }
        var file = Assert.Single(TensorBoardEvents.Files(run));
        File.AppendAllText(file, "torn"); // a kill in the middle of a record

        using (RunFolder.Resume(run, step: 5))
        {
        }

        Assert.Equal([1L, 2, 3, 4, 5], EventFiles.Scalars(file).Select(s => s.Step));
        Assert.Equal("brain.Event:2", EventFiles.Read(file)[0].FileVersion);
        Assert.True(TensorBoardEvents.Read(file).Whole);
    }
}

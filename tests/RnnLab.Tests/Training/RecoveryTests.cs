using RnnLab.Checkpoints;
using RnnLab.Tracking;
using RnnLab.Training;

namespace RnnLab.Tests.Training;

// What happens when things go wrong mid-run: odd clipping modes, non-finite values with every
// optimizer, a second process on the same folder, a resume after a kill.
[Collection(GlobalRngCollection.Name)]
public sealed class RecoveryTests
{
    private static (RunConfig Config, PreparedCorpus Corpus) Setup(TempDir dir)
    {
        var path = dir.Write("data.txt", Corpora.ShakespeareSlice(3_000));
        var config = Corpora.SmallConfig(path, CorpusMode.Stream);
        return (config, RunLauncher.PrepareCorpus(new LaunchOptions { Config = config }));
    }

    [Theory]
    [InlineData(ClipMode.None)]
    [InlineData(ClipMode.Value)]
    public void EveryClipModeTrains(ClipMode mode)
    {
        using var dir = new TempDir();
        var (config, corpus) = Setup(dir);
        config = config with { Optim = config.Optim with { ClipMode = mode, Clip = 0.5 } };
        using var run = RunFolder.Create(dir.File("run"));
        using var trainer = new Trainer(config, corpus, run, new NullObserver(), torch.CPU);

        var result = trainer.Run();

        Assert.Equal(10, result.Progress.Step);
        Assert.True(double.IsFinite(result.LastEvaluation!.Loss));
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Rmsprop)]
    public void NonFiniteLossRecoversWithEveryOptimizer(OptimizerKind optimizer)
    {
        using var dir = new TempDir();
        var (config, corpus) = Setup(dir);
        config = config with { Optim = config.Optim with { Optimizer = optimizer, Momentum = 0.9 } };
        using var run = RunFolder.Create(dir.File("run"));
        var injected = new HashSet<long>();
        using var trainer = new Trainer(config, corpus, run, new NullObserver(), torch.CPU)
        {
            // one bad window at step 2 (before any evaluation) and one at step 7 (after one)
            TransformLoss = (step, loss) => step is 2 or 7 && injected.Add(step) ? loss * double.NaN : loss,
        };

        var result = trainer.Run();

        Assert.Equal(10, result.Progress.Step);
        Assert.Equal(2, result.Progress.NonFiniteSteps);
        Assert.True(double.IsFinite(result.LastEvaluation!.Loss));
    }

    [Fact]
    public void WeightsWithANonFiniteValidationLossAreNeverSaved()
    {
        using var dir = new TempDir();
        var (config, corpus) = Setup(dir);
        using var run = RunFolder.Create(dir.File("run"));
        var notes = new NullObserver();
        Trainer? trainer = null;
        trainer = new Trainer(config, corpus, run, notes, torch.CPU)
        {
            // poison the weights during step 5, just before the evaluation at step 5
            TransformLoss = (step, loss) =>
            {
                if (step == 5)
                {
                    using var noGrad = torch.no_grad();
                    trainer!.Model.parameters().First().fill_(double.NaN);
                }
                return loss;
            },
        };
        using (trainer)
        {
            trainer.Run();
        }

        Assert.Contains(notes.Notes,
            n => n.StartsWith("step 5: non-finite validation loss;", StringComparison.Ordinal));
        var saved = Checkpoint.Load(run.Last);
        Assert.Equal(10, saved.Manifest.Progress.Step);
        using var model = saved.CreateModel(torch.CPU);
        Assert.All(model.parameters(), p => Assert.False(p.isnan().any().item<bool>()));
    }

    [Fact]
    public void ASecondProcessCannotWriteALockedRunFolder()
    {
        using var dir = new TempDir();
        using var first = RunFolder.Create(dir.File("run"));

        var error = Assert.Throws<RnnLabException>(() => RunFolder.Resume(dir.File("run"), 0));

        Assert.Equal($"run folder {dir.File("run")} is in use by another rnnlab process; wait for it to finish " +
            "(or, for a new run, pass another --out)", error.Message);
    }

    [Fact]
    public void ARunThatFailsBeforeItsFirstCheckpointLeavesNoFolder()
    {
        using var dir = new TempDir();
        var kept = RunFolder.Create(dir.File("kept"));
        File.WriteAllText(kept.Last, "x");
        var empty = RunFolder.Create(dir.File("empty"));

        kept.DeleteIfEmptyOfCheckpoints();
        empty.DeleteIfEmptyOfCheckpoints();

        Assert.True(Directory.Exists(dir.File("kept")));
        Assert.False(Directory.Exists(dir.File("empty")));
    }

    [Fact]
    public void ResumingDropsRecordsWrittenAfterTheCheckpointAndTakesNoStepPastTheLimit()
    {
        using var dir = new TempDir();
        var (config, corpus) = Setup(dir);
        config = config with { Train = config.Train with { Steps = 6, EvalEvery = 3 } };
        var options = new LaunchOptions { Config = config, Out = dir.File("run") };
        RunLauncher.Launch(options, corpus, new NullObserver());
        var metrics = Path.Combine(dir.File("run"), "metrics.jsonl");
        var before = File.ReadAllLines(metrics);
        File.AppendAllText(metrics, "{\"kind\":\"train\",\"step\":7,\"loss\":1}\n{\"kind\":\"tra");
        File.WriteAllText(Path.Combine(dir.File("run"), "last.ckpt.tmp-1-abc"), "partial");
        var checkpoint = Checkpoint.Load(Path.Combine(dir.File("run"), RunFolder.LastCheckpoint));

        var resumed = options with { Out = null, Resume = checkpoint };
        var result = RunLauncher.Launch(resumed, corpus, new NullObserver());

        Assert.Equal(6, result.Result.Progress.Step);
        Assert.Equal(before, File.ReadAllLines(metrics));
        Assert.Empty(Directory.GetFiles(dir.File("run"), "*.tmp-*"));
    }

    [Fact]
    public void AFolderLeftWithoutACheckpointIsNotSentToResume()
    {
        using var dir = new TempDir();
        var run = dir.File("run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "metrics.jsonl"), "");

        var error = Assert.Throws<RnnLabException>(() => RnnLab.Tracking.RunFolder.Create(run));

        Assert.Equal($"run folder {run} already exists and is not empty; pass another --out (it holds no " +
            "checkpoint to resume from: a run stopped before its first save)", error.Message);
        Assert.True(File.Exists(Path.Combine(run, "metrics.jsonl")), "the user's file is gone");
    }
}

using System.Text.Json;
using RnnLab.Checkpoints;
using RnnLab.Tracking;
using RnnLab.Training;

namespace RnnLab.Tests.Training;

[Collection(GlobalRngCollection.Name)]
public sealed class TrainerTests
{
    private static LaunchResult Train(RunConfig config, string? outDir = null, Checkpoint? resume = null)
    {
        var options = new LaunchOptions { Config = config, Out = outDir, Resume = resume };
        var corpus = RunLauncher.PrepareCorpus(options);
        return RunLauncher.Launch(options, corpus, new NullObserver());
    }

    private static double[] TrainLosses(string run) => File.ReadAllLines(Path.Combine(run, "metrics.jsonl"))
        .Select(line => JsonDocument.Parse(line).RootElement)
        .Where(e => e.GetProperty("kind").GetString() == "train")
        .Select(e => e.GetProperty("loss").GetDouble())
        .ToArray();

    [Fact]
    public void LossFallsOnShakespeare()
    {
        using var dir = new TempDir();
        var path = dir.Write("shakespeare.txt", Corpora.ShakespeareSlice(60_000));
        var config = Corpora.SmallConfig(path, CorpusMode.Stream) with
        {
            Data = new DataConfig { Path = path, BatchSize = 16, Bptt = 32 },
            Model = new ModelConfig { Hidden = 64, Embedding = 16, Layers = 1 },
            Optim = new OptimConfig { LearningRate = 1e-2, WarmupSteps = 0, Schedule = ScheduleKind.Constant },
            Train = new TrainConfig { Steps = 80, LogEvery = 10, EvalEvery = 80, SampleLength = 0 },
        };

        var result = Train(config, dir.File("run"));

        var losses = TrainLosses(dir.File("run"));
        Assert.True(losses[^1] < losses[0] - 1.0, $"loss went from {losses[0]} to {losses[^1]}");
        Assert.True(result.Result.LastEvaluation!.Loss < 3.0, $"validation loss {result.Result.LastEvaluation.Loss}");
    }

    [Theory]
    [InlineData(CorpusMode.Stream, OptimizerKind.Adam)]
    [InlineData(CorpusMode.Documents, OptimizerKind.Adam)]
    [InlineData(CorpusMode.Stream, OptimizerKind.Sgd)]
    [InlineData(CorpusMode.Stream, OptimizerKind.Adamw)]
    [InlineData(CorpusMode.Documents, OptimizerKind.Rmsprop)]
    public void ResumeContinuesExactlyAsAnUninterruptedRun(CorpusMode mode, OptimizerKind optimizer)
    {
        using var dir = new TempDir();
        var text = mode == CorpusMode.Stream
            ? Corpora.ShakespeareSlice(4_000)
            : string.Join("\n", Enumerable.Range(0, 30).Select(i => Corpora.Tweets[i % Corpora.Tweets.Length] + i));
        var path = dir.Write("data.txt", text);
        var baseConfig = Corpora.SmallConfig(path, mode);
        var config = baseConfig with
        {
            Model = new ModelConfig { Hidden = 16, Embedding = 8, Dropout = 0.2 },
            Optim = baseConfig.Optim with { Optimizer = optimizer },
        };
        var full = config with { Train = config.Train with { Steps = 12, EvalEvery = 6 } };
        var firstHalf = config with { Train = config.Train with { Steps = 6, EvalEvery = 6 } };

        Train(full, dir.File("full"));
        Train(firstHalf, dir.File("resumed"));
        Train(full, resume: Checkpoint.Load(Path.Combine(dir.File("resumed"), RunFolder.LastCheckpoint)));

        var expected = TrainLosses(dir.File("full"));
        var actual = TrainLosses(dir.File("resumed"));
        Assert.Equal(12, expected.Length);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void SameSeedRepeatsExactly()
    {
        using var dir = new TempDir();
        var path = dir.Write("data.txt", Corpora.ShakespeareSlice(3_000));
        var config = Corpora.SmallConfig(path, CorpusMode.Stream);

        Train(config, dir.File("a"));
        Train(config, dir.File("b"));

        Assert.Equal(TrainLosses(dir.File("a")), TrainLosses(dir.File("b")));
    }

    [Fact]
    public void AStopSignalDuringAnEvaluationCutsItToEightWindowsAndSaves()
    {
        using var dir = new TempDir();
        var path = dir.Write("data.txt", Corpora.ShakespeareSlice(8_000)); // 2,000 validation characters
        var config = Corpora.SmallConfig(path, CorpusMode.Stream) with
        {
            Train = new TrainConfig { Steps = 10, EvalEvery = 4, LogEvery = 1, SampleLength = 20, Seed = 7 },
        };
        var options = new LaunchOptions { Config = config, Out = dir.File("stopped") };
        using var signal = new CancellationTokenSource();
        // the signal comes as step 4 ends, so the evaluation that follows it starts with the stop requested
        var observer = new NullObserver { OnStep = step => { if (step == 4) { signal.Cancel(); } } };

        var result = RunLauncher.Launch(options, RunLauncher.PrepareCorpus(options), observer, signal.Token);
        Train(config with { Train = config.Train with { Steps = 4, EvalBatches = 8 } }, dir.File("eight"));
        Train(config with { Train = config.Train with { Steps = 4 } }, dir.File("whole"));

        JsonElement EvalAt4(string run) => File.ReadAllLines(Path.Combine(run, "metrics.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .First(e => e.GetProperty("kind").GetString() == "eval" && e.GetProperty("step").GetInt64() == 4);
        double LossAt4(string run) => EvalAt4(run).GetProperty("val_loss").GetDouble();
        Assert.Equal(("interrupted", 4L), (result.Result.StopReason, result.Result.Progress.Step));
        Assert.Equal(LossAt4(dir.File("eight")), LossAt4(dir.File("stopped")));
        Assert.NotEqual(LossAt4(dir.File("whole")), LossAt4(dir.File("stopped"))); // the split is over 8 windows
        Assert.Equal(8, EvalAt4(dir.File("stopped")).GetProperty("val_windows").GetInt32()); // marked as partial
        Assert.False(EvalAt4(dir.File("eight")).TryGetProperty("val_windows", out _)); // --eval-batches 8 is not
        var saved = Checkpoint.Load(Path.Combine(dir.File("stopped"), RunFolder.LastCheckpoint));
        Assert.Equal(4, saved.Manifest.Progress.Step);
    }

    [Fact]
    public void ResumingWithDifferentModelFlagsListsTheDifferences()
    {
        using var dir = new TempDir();
        var path = dir.Write("data.txt", Corpora.ShakespeareSlice(3_000));
        var config = Corpora.SmallConfig(path, CorpusMode.Stream);
        Train(config with { Train = config.Train with { Steps = 5 } }, dir.File("run"));
        var checkpoint = Checkpoint.Load(Path.Combine(dir.File("run"), RunFolder.LastCheckpoint));
        var changed = config with
        {
            Model = config.Model with { Hidden = 32 }, Data = config.Data with { Bptt = 16 },
            Exposure = config.Exposure with { Mode = Configuration.Exposure.Professor, ProfessorEvery = 2 },
        };

        var error = Assert.Throws<RnnLabException>(() => Train(changed, resume: checkpoint));

        Assert.Contains("--hidden: checkpoint 16, given 32", error.Message);
        Assert.Contains("--bptt: checkpoint 8, given 16", error.Message);
        Assert.Contains("\n  --exposure: checkpoint \"teacher\", given \"professor\"\n", error.Message);
        Assert.Contains("\n  --professor-every: checkpoint 1, given 2\n", error.Message);
    }

    [Fact]
    public void NonFiniteLossIsSkippedAndTheRateHalved()
    {
        using var dir = new TempDir();
        var path = dir.Write("data.txt", Corpora.ShakespeareSlice(3_000));
        var config = Corpora.SmallConfig(path, CorpusMode.Stream);
        var options = new LaunchOptions { Config = config, Out = dir.File("run") };
        var corpus = RunLauncher.PrepareCorpus(options);
        var observer = new NullObserver();
        var injected = false;
        using var run = RunFolder.Create(dir.File("run"));
        using var trainer = new Trainer(config, corpus, run, observer, torch.CPU)
        {
            // one bad window at step 3; the retry of step 3 on the next window is clean
            TransformLoss = (step, loss) =>
            {
                if (step != 3 || injected)
                {
                    return loss;
                }
                injected = true;
                return loss * double.NaN;
            },
        };

        var result = trainer.Run();

        Assert.Equal(10, result.Progress.Step);
        Assert.Equal(1, result.Progress.NonFiniteSteps);
        Assert.Equal("step 3: non-finite loss or gradient; restored the last good weights, learning rate now 5.0e-03",
            Assert.Single(observer.Notes));
        Assert.All(trainer.Model.parameters(), p => Assert.False(p.isnan().any().item<bool>()));
    }

    [Fact]
    public void RepeatedNonFiniteLossStopsWithCheckpointsIntact()
    {
        using var dir = new TempDir();
        var path = dir.Write("data.txt", Corpora.ShakespeareSlice(3_000));
        var config = Corpora.SmallConfig(path, CorpusMode.Stream) with
        {
            Train = new TrainConfig { Steps = 40, EvalEvery = 5, LogEvery = 5, SampleLength = 0, MaxNonFinite = 3 },
        };
        using var run = RunFolder.Create(dir.File("run"));
        var corpus = RunLauncher.PrepareCorpus(new LaunchOptions { Config = config });
        using var trainer = new Trainer(config, corpus, run, new NullObserver(), torch.CPU)
        {
            TransformLoss = (step, loss) => step > 7 ? loss * double.PositiveInfinity : loss,
        };

        var error = Assert.Throws<TrainingFailedException>(() => trainer.Run());

        Assert.StartsWith("the loss was non-finite 3 steps in a row (last at step 8); training stopped.",
            error.Message);
        var checkpoint = Checkpoint.Load(run.Last);
        Assert.Equal(5, checkpoint.Manifest.Progress.Step);
        using var model = checkpoint.CreateModel(torch.CPU);
        Assert.All(model.parameters(), p => Assert.False(p.isnan().any().item<bool>()));
    }
}

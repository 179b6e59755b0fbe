using System.Text.Json;
using RnnLab.Checkpoints;
using RnnLab.Tracking;
using RnnLab.Training;

namespace RnnLab.Tests.Exposure;

[Collection(GlobalRngCollection.Name)]
public sealed class ProfessorForcingTests
{
    private static RunConfig Config(string path, ExposureConfig exposure, long steps = 6) =>
        Corpora.SmallConfig(path, CorpusMode.Stream) with
        {
            Model = new ModelConfig { Layers = 1, Hidden = 16, Embedding = 8 },
            Train = new TrainConfig { Steps = steps, EvalEvery = 3, LogEvery = 1, SampleLength = 10, Seed = 7 },
            Exposure = exposure with { DiagnosticLength = 50, DiagnosticWindows = 1, DiscriminatorHidden = 8 },
        };

    private static LaunchResult Train(RunConfig config, string? outDir = null, Checkpoint? resume = null)
    {
        var options = new LaunchOptions { Config = config, Out = outDir, Resume = resume };
        return RunLauncher.Launch(options, RunLauncher.PrepareCorpus(options), new NullObserver());
    }

    private static JsonElement[] Records(string run, string kind) =>
        File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("kind").GetString() == kind).ToArray();

    [Fact]
    public void WithAdversarialWeightZeroTheGeneratorLearnsExactlyAsTeacherForcing()
    {
        using var dir = new TempDir();
        var path = dir.Write("data.txt", Corpora.ShakespeareSlice(3_000));

        // the gate always open: the adversarial term (× 0) is in every step's loss
        Train(Config(path, new ExposureConfig()), dir.File("teacher"));
        Train(Config(path, new ExposureConfig
        {
            Mode = Configuration.Exposure.Professor, AdversarialWeight = 0, GeneratorGate = 0, DiscriminatorGate = 1,
        }), dir.File("professor"));

        var teacher = Checkpoint.Load(Path.Combine(dir.File("teacher"), RunFolder.LastCheckpoint));
        var professor = Checkpoint.Load(Path.Combine(dir.File("professor"), RunFolder.LastCheckpoint));
        Assert.Equal(teacher.Entry("model.bin"), professor.Entry("model.bin"));
        var steps = Records(dir.File("professor"), "train");
        Assert.All(steps, r => Assert.Equal(1.0, r.GetProperty("g_gate").GetDouble()));
        Assert.Equal(Records(dir.File("teacher"), "train").Select(r => r.GetProperty("loss").GetDouble()),
            steps.Select(r => r.GetProperty("loss").GetDouble()));
    }

    [Fact]
    public void EveryKthStepProfessesAndTheGatedOutGeneratorLearnsAsTeacherForcing()
    {
        using var dir = new TempDir();
        var path = dir.Write("data.txt", Corpora.ShakespeareSlice(3_000));

        // the default gate (0.75) stays shut in 6 steps from 0.5: the free runs and the discriminator
        // steps (on the first and fourth steps) must leave the generator's learning untouched
        Train(Config(path, new ExposureConfig()), dir.File("teacher"));
        Train(Config(path, new ExposureConfig { Mode = Configuration.Exposure.Professor, ProfessorEvery = 3 }),
            dir.File("professor"));

        var teacher = Checkpoint.Load(Path.Combine(dir.File("teacher"), RunFolder.LastCheckpoint));
        var professor = Checkpoint.Load(Path.Combine(dir.File("professor"), RunFolder.LastCheckpoint));
        Assert.Equal(teacher.Entry("model.bin"), professor.Entry("model.bin"));
        var steps = Records(dir.File("professor"), "train");
        Assert.Equal([1.0, 0, 0, 1, 0, 0], steps.Select(r => r.GetProperty("d_steps").GetDouble()));
        Assert.Equal([true, false, false, true, false, false], steps.Select(r => r.TryGetProperty("d_loss", out _)));
        Assert.All(steps.Where(r => r.TryGetProperty("g_gate", out _)),
            r => Assert.Equal(0.0, r.GetProperty("g_gate").GetDouble()));
        // between its steps the discriminator's running accuracy stands still
        var accuracy = steps.Select(r => r.GetProperty("d_acc").GetDouble()).ToArray();
        Assert.Equal(accuracy[1], accuracy[2]);
        Assert.Equal(accuracy[4], accuracy[5]);
    }

    [Fact]
    public void TheDiscriminatorSeparatesTwoObviouslyDifferentSequenceSets()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(2);
        using var model = new CharRnn(new ModelConfig { Layers = 1, Hidden = 4, Embedding = 2 }, 6);
        using var professor = new ProfessorForcing(new ExposureConfig { DiscriminatorHidden = 8 }, model, 5);

        // slowly varying sequences near +1 against white noise around 0
        Tensor Smooth() => torch.randn(16, 10, 1).mul(0.1).add(1).expand(-1, -1, 4).contiguous(); // (B, T, H)
        Tensor Noise() => torch.randn(16, 10, 4);
        var before = professor.Accuracy(Smooth(), Noise());
        for (var step = 0; step < 60; step++)
        {
            professor.Optimizer.zero_grad();
            professor.Loss(Smooth(), Noise()).backward();
            professor.Optimizer.step();
        }

        var after = professor.Accuracy(Smooth(), Noise());
        Assert.True(after >= 0.95, $"accuracy {after} (before training {before})");
    }

    [Theory]
    [InlineData(Configuration.Exposure.Professor, 1)]
    [InlineData(Configuration.Exposure.Professor, 3)] // free runs on steps 1, 4, 7: the resumed half has one
    [InlineData(Configuration.Exposure.Scheduled, 1)]
    public void ResumeContinuesExactlyAsAnUninterruptedRun(Configuration.Exposure mode, int every)
    {
        using var dir = new TempDir();
        var path = dir.Write("data.txt", Corpora.ShakespeareSlice(4_000));
        var exposure = new ExposureConfig
        {
            Mode = mode, K = 4, GeneratorGate = 0.5, MaxProbability = 0.5, ProfessorEvery = every,
        };
        var full = Config(path, exposure, steps: 8) with
        {
            Model = new ModelConfig { Hidden = 16, Embedding = 8, Dropout = 0.1 },
        };
        var half = full with { Train = full.Train with { Steps = 4 } };

        Train(full, dir.File("full"));
        Train(half, dir.File("resumed"));
        Train(full, resume: Checkpoint.Load(Path.Combine(dir.File("resumed"), RunFolder.LastCheckpoint)));

        string[] keys = mode == Configuration.Exposure.Professor
            ? ["loss", "d_steps", "d_loss", "d_acc", "adv"]
            : ["loss", "p_sample"];
        // a key a record lacks (d_loss on a step without a free run) reads as NaN, which equals itself here
        double Value(JsonElement record, string key) =>
            record.TryGetProperty(key, out var value) ? value.GetDouble() : double.NaN;
        foreach (var key in keys)
        {
            var expected = Records(dir.File("full"), "train").Select(r => Value(r, key)).ToArray();
            Assert.Equal(8, expected.Length);
            Assert.Equal(expected, Records(dir.File("resumed"), "train").Select(r => Value(r, key)));
        }
        if (mode == Configuration.Exposure.Professor)
        {
            var freeRuns = Records(dir.File("resumed"), "train").Select(r => r.GetProperty("d_steps").GetDouble());
            Assert.Equal(every == 1 ? Enumerable.Repeat(1.0, 8) : [1.0, 0, 0, 1, 0, 0, 1, 0], freeRuns);
        }
        // the diagnostics draw from their own generator: a resumed run measures the same
        var fullEval = Records(dir.File("full"), "eval").Last();
        var resumedEval = Records(dir.File("resumed"), "eval").Last();
        foreach (var key in new[] { "val_hidden_mmd", "val_hidden_frechet", "repetition", "novelty" })
        {
            Assert.True(double.IsFinite(resumedEval.GetProperty(key).GetDouble()), key);
            Assert.Equal(fullEval.GetProperty(key).GetDouble(), resumedEval.GetProperty(key).GetDouble());
        }
        var last = Checkpoint.Load(Path.Combine(dir.File("resumed"), RunFolder.LastCheckpoint));
        Assert.Equal(mode == Configuration.Exposure.Professor, last.HasEntry("discriminator.bin"));
    }

    [Fact]
    public void OtherModesThanStreamAreRefused()
    {
        var config = new RunConfig
        {
            Data = new DataConfig { Path = "x.txt", Mode = CorpusMode.Documents },
            Train = new TrainConfig { Steps = 1 },
            Exposure = new ExposureConfig { Mode = Configuration.Exposure.Scheduled },
        };

        Assert.Equal("--exposure scheduled needs --mode stream and --loss-on all",
            Assert.Throws<RnnLabException>(config.Validate).Message);
    }
}

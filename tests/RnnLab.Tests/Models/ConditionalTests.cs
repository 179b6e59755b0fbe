using RnnLab.Checkpoints;
using RnnLab.Sampling;
using RnnLab.Training;

namespace RnnLab.Tests.Models;

// A language model conditioned on a class: the class embedding beside each character.
[Collection(GlobalRngCollection.Name)]
public sealed class ConditionalTests
{
    private static string ClassFolder(TempDir dir)
    {
        var folder = Directory.CreateDirectory(dir.File("classes")).FullName;
        File.WriteAllLines(Path.Combine(folder, "Low.txt"), Enumerable.Range(0, 30).Select(i => $"ab{i}ba"));
        File.WriteAllLines(Path.Combine(folder, "High.txt"), Enumerable.Range(0, 30).Select(i => $"XY{i}YX"));
        return folder;
    }

    private static RunConfig Config(string folder) => Corpora.SmallConfig(folder, CorpusMode.Documents) with
    {
        Data = new DataConfig
        {
            Path = folder, Mode = CorpusMode.Documents, ConditionOnClass = true, BatchSize = 4, Bptt = 8,
            ValFraction = 0.2,
        },
    };

    [Fact]
    public void TheClassChangesThePredictionAndNothingElseDoes()
    {
        torch.manual_seed(1);
        var config = new ModelConfig { Hidden = 8, Embedding = 4, ClassEmbedding = 3 };
        using var model = new CharRnn(config, 9, classCount: 2);
        using var noGrad = torch.no_grad();
        var input = torch.tensor(new long[] { 1, 5, 6, 1, 5, 6 }, [2, 3]);

        var (same, _) = model.forward(input, null, torch.tensor(new long[] { 0, 0 }));
        var (mixed, _) = model.forward(input, null, torch.tensor(new long[] { 0, 1 }));

        Assert.True(same[0].allclose(same[1]));
        Assert.True(mixed[0].allclose(same[0]));
        Assert.False(mixed[1].allclose(same[1]));
        var error = Assert.Throws<ArgumentException>(() => model.forward(input, null));
        Assert.StartsWith("this model is conditioned on a class", error.Message);
    }

    [Fact]
    public void StepperEqualsTheFusedModuleWithClasses()
    {
        torch.manual_seed(2);
        var config = new ModelConfig { Layers = 2, Hidden = 12, Embedding = 5, ClassEmbedding = 4 };
        using var model = new CharRnn(config, 9, classCount: 3);
        using var noGrad = torch.no_grad();
        var input = torch.tensor(new long[] { 1, 4, 7, 2, 1, 8, 8, 5 }, [2, 4]);
        var classes = torch.tensor(new long[] { 2, 0 });
        var (fused, _) = model.forward(input, null, classes); // (2, 4, V)
        using var stepper = new LstmStepper(model);

        var state = model.ZeroState(2);
        for (var t = 0; t < 4; t++)
        {
            var (logits, next) = stepper.Step(input.select(1, t), state, classes);
            Assert.True(logits.allclose(fused.select(1, t), rtol: 1e-5, atol: 1e-5), $"step {t}");
            state = next;
        }
    }

    [Fact]
    public void WindowsCarryEachDocumentsClass()
    {
        using var dir = new TempDir();
        var corpus = CorpusPreparer.Prepare(Config(ClassFolder(dir)).Data, 7, null, null);
        var windows = new DocumentWindows(corpus.Train, 4, 8, torch.CPU, seed: 3, "training");
        var high = corpus.Classes!.ToList().IndexOf("High");

        foreach (var window in windows.Windows(0).Where(w => w.StartsSequence).Take(6))
        {
            using var _ = window;
            var classes = window.Classes!.data<long>().ToArray();
            for (var row = 0; row < classes.Length; row++)
            {
                // each batch's first window starts <bos> then the document: High's start with X
                var first = corpus.Vocabulary.Decode((int)window.Input[row, 1].item<long>());
                Assert.Equal(classes[row] == high ? "X" : "a", first);
            }
        }
        Assert.Equal(["High", "Low"], corpus.Classes);
        Assert.Equal(48, corpus.Train.DocumentCount);
        Assert.Equal(corpus.Train.DocumentCount, corpus.Train.Labels!.Length);
    }

    [Fact]
    public void TrainsSavesAndSamplesPerClass()
    {
        using var dir = new TempDir();
        var config = Config(ClassFolder(dir)) with
        {
            Optim = new OptimConfig { LearningRate = 2e-2, WarmupSteps = 0, Schedule = ScheduleKind.Constant },
            Train = new TrainConfig { Steps = 150, EvalEvery = 150, LogEvery = 50, SampleLength = 10, Seed = 3 },
        };
        var options = new LaunchOptions { Config = config, Out = dir.File("run") };
        RunLauncher.Launch(options, RunLauncher.PrepareCorpus(options), new NullObserver());

        var checkpoint = Checkpoint.Load(dir.File("run/best.ckpt"));
        using var model = checkpoint.CreateModel(torch.CPU);
        var sampler = new Sampler(model, checkpoint.Vocabulary, CorpusMode.Documents);
        var options2 = new SampleOptions { Length = 12, NumSamples = 8, Greedy = false, Temperature = 0.5, Seed = 1 };

        Assert.Equal(["High", "Low"], checkpoint.Manifest.Classes);
        var high = sampler.Generate(options2 with { ClassIndex = 0 });
        var low = sampler.Generate(options2 with { ClassIndex = 1 });
        Assert.All(high, s => Assert.StartsWith("XY", s));
        Assert.All(low, s => Assert.StartsWith("ab", s));
        var error = Assert.Throws<RnnLabException>(() => sampler.Generate(options2));
        Assert.Equal("this model is conditioned on a class; pass --class with one of its classes", error.Message);
    }
}

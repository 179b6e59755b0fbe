using System.Text.Json;
using RnnLab.Tracking;
using RnnLab.Training;

namespace RnnLab.Tests.Training;

[Collection(GlobalRngCollection.Name)]
public sealed class HiddenStateLossTests
{
    [Fact]
    public void The_eos_loss_is_the_weighted_mean_squared_norm_of_the_states_after_each_eos()
    {
        // h after each step of two rows; row 0 reads <eos> at t = 1, row 1 at t = 2
        using var output = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6, 0, 1, 2, 2, 1, 0 }, [2, 3, 2])
            .requires_grad_();
        using var input = torch.tensor(new long[] { 5, Vocabulary.Eos, 0, 1, 5, Vocabulary.Eos }, [2, 3]);
        using var noEnd = torch.tensor(new long[] { 5, 6, 7, 1, 5, 6 }, [2, 3]);

        var loss = new EosStateLoss(0.5).Loss(new HiddenStates(output, input, input));
        loss.backward();

        Assert.Equal(0.5 * ((9 + 16) + (1 + 0)) / 2, loss.item<float>(), 5);
        // d/dh of w · mean ‖h‖² is 2 w h / count at the two <eos> positions, 0 elsewhere
        Assert.Equal(new float[] { 0, 0, 1.5f, 2, 0, 0, 0, 0, 0, 0, 0.5f, 0 }, output.grad!.data<float>().ToArray());
        Assert.Equal(0, new EosStateLoss(0.5).Loss(new HiddenStates(output, noEnd, noEnd)).item<float>());
        Assert.Equal(new[] { 5.0f, 1.0f }, EosStateLoss.NormsAfterEnd(output, input).data<float>().ToArray());
    }

    [Fact]
    public void Windows_that_read_the_end_of_each_document_add_one_padding_column_and_no_targets()
    {
        // documents of lengths 4, 7 and 3 (with <bos> and <eos>)
        var split = new EncodedSplit([1, 5, 6, 2, 1, 5, 6, 7, 8, 9, 2, 1, 5, 2], [0, 4, 11, 14]);
        using var plain = new DocumentWindows(split, batchSize: 3, bptt: 4, torch.CPU, seed: null, "validation");
        using var reading = new DocumentWindows(split, 3, 4, torch.CPU, null, "validation", readEndOfDocument: true);

        var before = plain.Windows(0).ToList();
        var after = reading.Windows(0).ToList();

        Assert.Equal([4L, 2L], before.Select(w => w.Input.shape[1]));
        Assert.Equal([4L, 3L], after.Select(w => w.Input.shape[1]));
        Assert.Equal(before.Select(w => w.Tokens), after.Select(w => w.Tokens));
        // the longest document's <eos> is now read (the last input of its row); its target is padding
        Assert.Equal(new long[] { 0, 0, 0, 0, 0, 0, 8, 9, Vocabulary.Eos }, after[1].Input.data<long>().ToArray());
        Assert.Equal(new long[] { 0, 0, 0, 0, 0, 0, 9, Vocabulary.Eos, Vocabulary.Pad },
            after[1].Target.data<long>().ToArray());
    }

    [Fact]
    public void Training_with_the_eos_loss_brings_the_state_after_eos_near_zero_and_logs_the_term()
    {
        using var dir = new TempDir();
        var (without, _) = Train(dir, "without", weight: 0);
        var (with, metrics) = Train(dir, "with", weight: 5);

        Assert.True(with < 0.5 * without, $"‖h‖ after <eos>: {with} with the loss, {without} without");
        var train = metrics.First(r => r.GetProperty("kind").GetString() == "train");
        Assert.True(train.GetProperty("eos_state").GetDouble() > 0);
        Assert.True(metrics.Last().TryGetProperty("val_eos_state_norm", out _));
    }

    [Fact]
    public void A_library_hidden_state_loss_sees_the_top_layer_states_and_trains_them()
    {
        using var dir = new TempDir();
        var path = dir.Write("docs.txt", Documents());
        var config = Corpora.SmallConfig(path, CorpusMode.Documents, CellKind.Gru) with { Name = "hook" };
        var corpus = RunLauncher.PrepareCorpus(new LaunchOptions { Config = config });
        using var run = RunFolder.Create(dir.File("hook"));
        var hook = new MeanState();
        using var trainer = new Trainer(config, corpus, run, new NullObserver(), torch.CPU, [hook]);

        trainer.Run();

        Assert.Equal(10, hook.Calls);
        Assert.Equal([4L, 16L], [hook.Shape[0], hook.Shape[2]]); // (B, T, H) with B 4, H 16
        var lines = File.ReadAllLines(run.File("metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement);
        Assert.All(lines.Where(r => r.GetProperty("kind").GetString() == "train"),
            r => Assert.True(r.TryGetProperty("mean_state", out _)));
    }

    [Fact]
    public void The_eos_loss_is_refused_on_a_stream_with_the_reason()
    {
        var config = Corpora.SmallConfig("x.txt", CorpusMode.Stream) with
        {
            Train = new TrainConfig { Steps = 1, EosStateLoss = 1 },
        };

        var error = Assert.Throws<RnnLabException>(config.Validate);

        Assert.Equal("--eos-state-loss needs --mode documents: a stream of text has no <eos> to return to zero at",
            error.Message);
    }

    private static string Documents() =>
        string.Join("\n", Enumerable.Range(0, 40).Select(i => Corpora.Tweets[i % Corpora.Tweets.Length] + i));

    private static (double Norm, List<JsonElement> Metrics) Train(TempDir dir, string name, double weight)
    {
        var path = dir.Write($"{name}.txt", Documents());
        var config = Corpora.SmallConfig(path, CorpusMode.Documents, CellKind.Gru) with
        {
            Name = name,
            Model = new ModelConfig { Cell = CellKind.Gru, Layers = 1, Hidden = 16, Embedding = 8 },
            Train = new TrainConfig { Steps = 60, EvalEvery = 60, LogEvery = 10, SampleLength = 0, Seed = 3,
                EosStateLoss = weight },
        };
        var corpus = RunLauncher.PrepareCorpus(new LaunchOptions { Config = config });
        using var run = RunFolder.Create(dir.File(name));
        using var trainer = new Trainer(config, corpus, run, new NullObserver(), torch.CPU);
        var result = trainer.Run();
        var metrics = File.ReadAllLines(run.File("metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .ToList();
        return (result.LastEvaluation!.EndStateNorm!.Value, metrics);
    }

    private sealed class MeanState : IHiddenStateLoss
    {
        public int Calls { get; private set; }

        public long[] Shape { get; private set; } = [];

        public string Name => "mean_state";

        public Tensor Loss(HiddenStates states)
        {
            Calls++;
            Shape = states.Output.shape;
            return 0.01 * states.Output.mean();
        }
    }
}

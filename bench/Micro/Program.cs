using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Models;
using RnnLab.Sampling;
using TorchSharp;
using static TorchSharp.torch;

BenchmarkSwitcher.FromAssembly(typeof(DataPipeline).Assembly).Run(args);

/// <summary>Where the shared corpora are: $RNNLAB_SHARED_DATA, else ../shared/data beside the repository.</summary>
internal static class Corpora
{
    public static string Data { get; } = Environment.GetEnvironmentVariable("RNNLAB_SHARED_DATA") is { Length: > 0 } d
        ? d
        : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../shared/data"));
}

/// <summary>Reading, checking, splitting and encoding a corpus (no cache), as `rnnlab train` prepares it.</summary>
[MemoryDiagnoser]
public class DataPipeline
{
    private readonly DataConfig tweets = new()
    {
        Path = Path.Combine(Corpora.Data, "tweets/trump_tweets.txt"), Mode = CorpusMode.Documents,
    };

    private readonly DataConfig shakespeare = new() { Path = Path.Combine(Corpora.Data, "tinyshakespeare/input.txt") };

    [Benchmark]
    public int TweetsAsDocuments() => CorpusPreparer.Prepare(tweets, 1, null, null).Train.DocumentCount;

    [Benchmark]
    public int ShakespeareAsStream() => CorpusPreparer.Prepare(shakespeare, 1, null, null).Train.Ids.Length;

    [Benchmark]
    public long ShakespeareWindows()
    {
        var corpus = CorpusPreparer.Prepare(shakespeare, 1, null, null);
        using var windows = new StreamWindows(corpus.Train.Ids, 32, 64, torch.CPU, "training");
        long tokens = 0;
        foreach (var window in windows.Windows(0))
        {
            tokens += window.Tokens;
            window.Dispose();
        }
        return tokens;
    }
}

/// <summary>
/// One sampling step of the reference model (2-layer LSTM, hidden 256): the cell arithmetic and the choice.
/// </summary>
[MemoryDiagnoser]
public class SamplerStep
{
    private CharRnn model = null!;
    private LstmStepper stepper = null!;
    private RecurrentState state = null!;
    private Tensor ids = null!;
    private CharacterChooser chooser = null!;
    private float[] logits = [];
    private long[] chosen = [];

    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.manual_seed(1);
        model = new CharRnn(new ModelConfig { Layers = 2, Hidden = 256, Embedding = 64 }, 69);
        model.eval();
        stepper = new LstmStepper(model);
        state = model.ZeroState(Batch);
        ids = torch.zeros(Batch, ScalarType.Int64);
        chooser = new CharacterChooser(new SampleOptions { Temperature = 0.8 }, new bool[69], 1);
        logits = new float[Batch * 69];
        chosen = new long[Batch];
    }

    [Benchmark]
    public void CellStep()
    {
        using var scope = torch.NewDisposeScope();
        stepper.Step(ids, state);
    }

    [Benchmark]
    public long Choose()
    {
        chooser.Choose(logits, Batch, chosen);
        return chosen[0];
    }
}

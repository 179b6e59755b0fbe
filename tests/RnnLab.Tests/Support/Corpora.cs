namespace RnnLab.Tests.Support;

/// <summary>Small corpora for tests: slices of real data, and hand-made documents.</summary>
public static class Corpora
{
    private static readonly Lazy<string> Shakespeare = new(() => File.ReadAllText(Paths.TinyShakespeare));

    /// <summary>The first <paramref name="characters"/> characters of tiny-shakespeare.</summary>
    public static string ShakespeareSlice(int characters) => Shakespeare.Value[..characters];

    public static readonly string[] Tweets =
    [
        "hello world",
        "a much longer document that spans several windows of the batch",
        "short",
        "emoji 🎉 count as one",
        "make the batch great",
        "x",
        "the quick brown fox jumps over the lazy dog",
        "mid sized text here",
    ];

    public static RunConfig SmallConfig(string path, CorpusMode mode, CellKind cell = CellKind.Lstm) => new()
    {
        Name = "test",
        Data = new DataConfig { Path = path, Mode = mode, BatchSize = 4, Bptt = 8, ValFraction = 0.25 },
        Model = new ModelConfig { Cell = cell, Layers = 2, Hidden = 16, Embedding = 8 },
        Optim = new OptimConfig { LearningRate = 1e-2, WarmupSteps = 0, Schedule = ScheduleKind.Constant },
        Train = new TrainConfig { Steps = 10, EvalEvery = 5, LogEvery = 1, SampleLength = 20, Seed = 7 },
    };
}

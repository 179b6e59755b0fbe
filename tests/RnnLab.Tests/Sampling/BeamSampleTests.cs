using RnnLab.Sampling;

namespace RnnLab.Tests.Sampling;

// Beam search for language models: width 1 is greedy decoding, in both corpus modes and for every
// fused cell kind, and it refuses options that do not go with it.
public sealed class BeamSampleTests
{
    private static readonly Vocabulary Letters = Vocabulary.Build(CorpusReader.Scalars("abcdefgh\n"));

    public static TheoryData<CellKind, CorpusMode> Variants() => new()
    {
        { CellKind.Lstm, CorpusMode.Stream },
        { CellKind.Lstm, CorpusMode.Documents },
        { CellKind.Gru, CorpusMode.Stream },
        { CellKind.RnnTanh, CorpusMode.Documents },
    };

    private static CharRnn Model(CellKind cell, int seed = 3)
    {
        torch.manual_seed(seed);
        return new CharRnn(new ModelConfig { Cell = cell, Layers = 2, Hidden = 16, Embedding = 8 }, Letters.Count);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void BeamWidthOneIsGreedy(CellKind cell, CorpusMode mode)
    {
        using var model = Model(cell);
        var sampler = new Sampler(model, Letters, mode);

        var greedy = sampler.Generate(new SampleOptions { Prime = "ab", Length = 40, Greedy = true });
        var beam = sampler.Generate(new SampleOptions { Prime = "ab", Length = 40, Beam = 1 });

        Assert.Equal(greedy, beam);
    }

    [Fact]
    public void BeamRefusesSeveralSamplesAndGreedy()
    {
        using var model = Model(CellKind.Lstm);
        var sampler = new Sampler(model, Letters, CorpusMode.Stream);

        Assert.Equal("--beam gives the one most likely continuation; drop --num-samples",
            Assert.Throws<RnnLabException>(() =>
                sampler.Generate(new SampleOptions { Beam = 2, NumSamples = 2 })).Message);
        Assert.Equal("--beam and --greedy are two ways to pick the most likely text; pass one",
            Assert.Throws<RnnLabException>(() =>
                sampler.Generate(new SampleOptions { Beam = 2, Greedy = true })).Message);
    }
}

using RnnLab.Sampling;

namespace RnnLab.Tests.Sampling;

public sealed class SamplerTests
{
    private static readonly Vocabulary Letters = Vocabulary.Build(CorpusReader.Scalars("abcdefgh\n"));

    private static CharRnn Model(int seed = 3)
    {
        torch.manual_seed(seed);
        return new CharRnn(new ModelConfig { Hidden = 16, Embedding = 8 }, Letters.Count);
    }

    [Fact]
    public void SmallBatchesStepOnOneThreadAndGiveTheThreadsBack()
    {
        using var model = Model();
        var sampler = new Sampler(model, Letters, CorpusMode.Stream);
        var options = new SampleOptions { Prime = "ab", Length = 20, NumSamples = 4, Seed = 7 };
        var before = torch.get_num_threads();
        var seen = new List<int>();

        var samples = sampler.Generate(options, (_, _) => seen.Add(torch.get_num_threads()));

        Assert.Equal(before, torch.get_num_threads());
        // the prime is reported (once per sample) before generation starts; every character after it
        // was made on one thread
        Assert.All(seen.Skip(options.NumSamples), threads => Assert.Equal(1, threads));
        Assert.Equal(options.NumSamples + 4 * 20, seen.Count);
        Assert.Equal(4, samples.Count);
    }

    [Fact]
    public void SameSeedGivesTheSameSamples()
    {
        using var model = Model();
        var sampler = new Sampler(model, Letters, CorpusMode.Stream);
        var options = new SampleOptions { Prime = "ab", Length = 40, NumSamples = 3, Seed = 42 };

        var first = sampler.Generate(options);
        var second = sampler.Generate(options);

        Assert.Equal(first, second);
        Assert.All(first, s => Assert.StartsWith("ab", s));
        Assert.All(first, s => Assert.Equal(42, CorpusReader.Scalars(s).Length));
    }

    [Fact]
    public void TopKOfOneIsGreedy()
    {
        using var model = Model();
        var sampler = new Sampler(model, Letters, CorpusMode.Stream);

        var greedy = sampler.Generate(new SampleOptions { Prime = "a", Length = 30, Greedy = true });
        var topOne = sampler.Generate(new SampleOptions { Prime = "a", Length = 30, TopK = 1, Seed = 9 });

        Assert.Equal(greedy, topOne);
    }

    [Fact]
    public void StreamsEveryCharacterAsItIsMade()
    {
        using var model = Model();
        var pieces = new List<string>();

        var text = new Sampler(model, Letters, CorpusMode.Stream)
            .Generate(new SampleOptions { Prime = "ab", Length = 10, Seed = 1 }, (_, piece) => pieces.Add(piece));

        Assert.Equal(11, pieces.Count); // the prime, then ten characters
        Assert.Equal(text.Single(), string.Concat(pieces));
    }

    [Fact]
    public void DocumentsStopAtEos()
    {
        using var model = Model();
        // make <eos> overwhelmingly likely: every sample ends at once
        using (torch.no_grad())
        {
            var bias = model.named_parameters().Single(p => p.name == "decoder.bias").parameter;
            bias[Vocabulary.Eos] = torch.tensor(100f);
        }

        var samples = new Sampler(model, Letters, CorpusMode.Documents)
            .Generate(new SampleOptions { Prime = "abc", Length = 50, NumSamples = 4, Seed = 5 });

        Assert.Equal(new[] { "abc", "abc", "abc", "abc" }, samples);
    }

    [Fact]
    public void PrimeWithUnknownCharactersIsRefusedUnlessMapped()
    {
        using var model = Model();
        var sampler = new Sampler(model, Letters, CorpusMode.Stream);

        var error = Assert.Throws<RnnLabException>(
            () => sampler.Generate(new SampleOptions { Prime = "abz🎉", Length = 5 }));
        var mapped = sampler.Generate(new SampleOptions { Prime = "abz", Length = 5, UnknownToUnk = true, Seed = 1 });

        Assert.Equal("the prime text has characters the model's vocabulary lacks: 'z' '🎉'; remove them or pass " +
            "--unknown-to-unk to map them to <unk>", error.Message);
        Assert.Equal(8, mapped.Single().Length);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    public void TemperatureMustBePositive(double temperature)
    {
        var error = Assert.Throws<RnnLabException>(() => new SampleOptions { Temperature = temperature }.Validate());

        Assert.StartsWith("--temperature must be > 0", error.Message);
    }
}

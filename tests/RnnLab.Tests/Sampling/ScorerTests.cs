using RnnLab.Sampling;

namespace RnnLab.Tests.Sampling;

public sealed class ScorerTests
{
    [Fact]
    public void ProbabilitiesMatchTheModelsSoftmax()
    {
        var vocabulary = Vocabulary.Build(CorpusReader.Scalars("abc"));
        torch.manual_seed(1);
        using var model = new CharRnn(new ModelConfig { Hidden = 8, Embedding = 4 }, vocabulary.Count);
        using var scope = torch.NewDisposeScope();

        var scores = Scorer.Score(model, vocabulary, CorpusMode.Documents, "cab");

        model.eval();
        var (logits, _) = model.forward(torch.tensor(new long[] { 1, 6, 4, 5 }).unsqueeze(0), null);
        var expected = logits[0].softmax(-1);
        Assert.Equal(new[] { "c", "a", "b", "<eos>" }, scores.Select(s => s.Character));
        Assert.Equal(expected[0, 6].item<float>(), scores[0].Probability, 5);
        Assert.Equal(expected[3, 2].item<float>(), scores[3].Probability, 5);
        Assert.Equal(-Math.Log2(scores[1].Probability), scores[1].Surprisal, 10);
    }

    [Fact]
    public void StreamModeSkipsTheFirstCharacter()
    {
        var vocabulary = Vocabulary.Build(CorpusReader.Scalars("abc"));
        using var model = new CharRnn(new ModelConfig { Hidden = 8, Embedding = 4 }, vocabulary.Count);

        var scores = Scorer.Score(model, vocabulary, CorpusMode.Stream, "abc");

        Assert.Equal(new[] { (1, "b"), (2, "c") }, scores.Select(s => (s.Position, s.Character)));
    }

    [Fact]
    public void LongTextsAreScoredInChunksWithTheStateCarried()
    {
        var text = Corpora.ShakespeareSlice(5_000);
        var vocabulary = Vocabulary.Build(CorpusReader.Scalars(text));
        torch.manual_seed(2);
        using var model = new CharRnn(new ModelConfig { Hidden = 8, Embedding = 4 }, vocabulary.Count);
        using var scope = torch.NewDisposeScope();

        var scores = Scorer.Score(model, vocabulary, CorpusMode.Stream, text);

        model.eval();
        var ids = torch.tensor(vocabulary.EncodeText(text).Select(i => (long)i).ToArray()).unsqueeze(0);
        var (logits, _) = model.forward(ids.narrow(1, 0, 4_999), null); // (1, 4999, V)
        var expected = logits[0, 4_500].softmax(-1)[ids[0, 4_501]].item<float>();
        Assert.Equal(4_999, scores.Count);
        Assert.Equal(expected, scores[4_500].Probability, 5);
    }
}

using RnnLab.Sampling;

namespace RnnLab.Tests.Sampling;

public sealed class CharacterChooserTests
{
    private static long[] Draw(SampleOptions options, float[] logits, int count, bool[]? banned = null)
    {
        var chooser = new CharacterChooser(options, banned ?? new bool[logits.Length], seed: 11);
        var chosen = new long[1];
        return Enumerable.Range(0, count).Select(_ =>
        {
            chooser.Choose(logits, 1, chosen);
            return chosen[0];
        }).ToArray();
    }

    [Fact]
    public void DrawsFollowTheSoftmaxAtTheTemperature()
    {
        float[] logits = [1f, 2f, 0f, 3f];
        var options = new SampleOptions { Temperature = 2 };

        var draws = Draw(options, logits, 40000);

        var weights = logits.Select(l => Math.Exp(l / 2.0)).ToArray();
        for (var id = 0; id < logits.Length; id++)
        {
            var expected = weights[id] / weights.Sum();
            var seen = draws.Count(d => d == id) / 40000.0;
            Assert.InRange(seen, expected - 0.01, expected + 0.01);
        }
    }

    [Fact]
    public void BannedIdsAreNeverDrawnEvenWhenMostLikely()
    {
        float[] logits = [9f, 0f, 0.5f];

        var draws = Draw(new SampleOptions(), logits, 2000, banned: [true, false, false]);
        var greedy = Draw(new SampleOptions { Greedy = true }, logits, 1, banned: [true, false, false]);

        Assert.DoesNotContain(0L, draws);
        Assert.Contains(1L, draws);
        Assert.Equal([2L], greedy);
    }

    [Fact]
    public void TopKKeepsTheKLargestAndTheirTies()
    {
        float[] logits = [0f, 5f, 3f, 3f, 4f];

        var draws = Draw(new SampleOptions { TopK = 3 }, logits, 3000).Distinct().Order();

        // the third largest is 3, held by two ids: both stay
        Assert.Equal([1L, 2L, 3L, 4L], draws);
    }

    [Fact]
    public void TopPDropsWhatComesAfterTheNucleusIsFull()
    {
        // probabilities 0.5, 0.3, 0.15, 0.05 (in logit form)
        float[] logits = [MathF.Log(0.3f), MathF.Log(0.05f), MathF.Log(0.5f), MathF.Log(0.15f)];

        var within = Draw(new SampleOptions { TopP = 0.7 }, logits, 3000).Distinct().Order();
        var first = Draw(new SampleOptions { TopP = 0.1 }, logits, 200).Distinct();

        // 0.5 + 0.3 reaches 0.7, so 0.15 and 0.05 go; p below the top share keeps the top one alone
        Assert.Equal([0L, 2L], within);
        Assert.Equal([2L], first);
    }

    [Fact]
    public void SameSeedSameDrawsAcrossRows()
    {
        float[] logits = [1f, 1f, 1f, 0f, 0f, 2f];
        var one = new CharacterChooser(new SampleOptions(), new bool[3], 5);
        var two = new CharacterChooser(new SampleOptions(), new bool[3], 5);
        var a = new long[2];
        var b = new long[2];

        one.Choose(logits, 2, a);
        two.Choose(logits, 2, b);

        Assert.Equal(a, b);
    }
}

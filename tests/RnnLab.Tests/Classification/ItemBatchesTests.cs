using RnnLab.Classification;

namespace RnnLab.Tests.Classification;

public sealed class ItemBatchesTests
{
    private static readonly Vocabulary Letters = Vocabulary.Build(CorpusReader.Scalars("abcdefghijklmnopqrstuvwxyz"));

    // 90 items of class 0, 10 of class 1, lengths 1 to 10
    private static LabeledItem[] Skewed() => Enumerable.Range(0, 100)
        .Select(i => new LabeledItem(new string((char)('a' + i % 26), 1 + i % 10), i < 90 ? 0 : 1)).ToArray();

    [Fact]
    public void AnEpochCoversEveryItemOnceInLengthSortedBatches()
    {
        var batches = new ItemBatches(Skewed(), Letters, batchSize: 8, torch.CPU);

        var plan = batches.Plan(epoch: 2, seed: 11);

        Assert.Equal(Enumerable.Range(0, 100), plan.SelectMany(b => b).Order());
        Assert.Equal(13, plan.Count);
        var items = Skewed();
        Assert.All(plan, batch => Assert.Equal(batch.Select(i => items[i].Text.Length).Order(),
            batch.Select(i => items[i].Text.Length)));
        Assert.NotEqual(plan.SelectMany(b => b), batches.Plan(epoch: 3, seed: 11).SelectMany(b => b));
    }

    [Fact]
    public void BalancedSamplingSeesEachClassAboutEquallyOften()
    {
        var items = Skewed();
        var batches = new ItemBatches(items, Letters, batchSize: 10, torch.CPU);

        var drawn = Enumerable.Range(0, 20).SelectMany(e => batches.Plan(e, seed: 1, Imbalance.Balanced))
            .SelectMany(b => b).ToArray();

        var minority = drawn.Count(i => items[i].Label == 1) / (double)drawn.Length;
        Assert.Equal(2_000, drawn.Length);
        Assert.InRange(minority, 0.45, 0.55); // plain sampling gives 0.10
    }

    [Fact]
    public void ClassWeightsMakeEveryClassCountEqually()
    {
        var weights = ItemBatches.ClassWeights(Skewed(), 2);

        Assert.Equal(100f / (2 * 90), weights[0], 6);
        Assert.Equal(100f / (2 * 10), weights[1], 6);
        Assert.Equal(90 * weights[0], 10 * weights[1], 4);
        Assert.Equal(MathF.Sqrt(100f / 20), ItemBatches.ClassWeights(Skewed(), 2, 0.5)[1], 5);
    }

    [Fact]
    public void BatchTensorsFollowTheGivenOrder()
    {
        var items = Skewed();
        var batches = new ItemBatches(items, Letters, batchSize: 4, torch.CPU);

        using var batch = batches.Batch([95, 3, 0]);

        Assert.Equal([3L, 6], batch.Ids.shape); // item 95 has length 6
        Assert.Equal([6L, 4, 1], batch.Lengths.data<long>().ToArray());
        Assert.Equal([1L, 0, 0], batch.Labels.data<long>().ToArray());
        Assert.Equal(Vocabulary.Pad, batch.Ids[2, 1].item<long>());
    }
}

namespace RnnLab.Tests.Data;

public sealed class WindowTests
{
    // the rows are the same whether the ids are stored as bytes, shorts or ints
    [Theory]
    [InlineData(24)]
    [InlineData(300)]
    [InlineData(40000)]
    public void StreamRowsAreContiguousAndTargetsShiftByOne(int limit)
    {
        using var scope = torch.NewDisposeScope();
        var ids = PackedIds.From(Enumerable.Range(0, 24).ToArray(), limit);
        using var source = new StreamWindows(ids, batchSize: 3, bptt: 3, torch.CPU, "training");

        var windows = source.Windows(0).ToList();

        // rows: 0..7, 8..15, 16..23; 7 usable input columns -> windows of 3, 3, 1
        Assert.Equal(3, source.WindowCount(0));
        Assert.Equal(new long[] { 0, 1, 2, 8, 9, 10, 16, 17, 18 }, windows[0].Input.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 2, 3, 9, 10, 11, 17, 18, 19 }, windows[0].Target.data<long>().ToArray());
        Assert.Equal(new long[] { 6, 14, 22 }, windows[2].Input.data<long>().ToArray());
        Assert.Equal(new long[] { 7, 15, 23 }, windows[2].Target.data<long>().ToArray());
        Assert.Equal(new[] { true, false, false }, windows.Select(w => w.StartsSequence));
        Assert.Equal(new long[] { 9, 9, 3 }, windows.Select(w => w.Tokens));
    }

    [Fact]
    public void StreamTooShortForTheBatchIsAnError()
    {
        var error = Assert.Throws<RnnLabException>(
            () => new StreamWindows(PackedIds.From([1, 2, 3], 4), 2, 4, torch.CPU, "validation"));

        Assert.Equal("the validation split has 3 characters, too few for --batch-size 2 streams of at least 2 " +
            "characters; lower --batch-size or give more text", error.Message);
    }

    [Fact]
    public void DocumentsArePaddedAndCountOnlyRealTargets()
    {
        using var scope = torch.NewDisposeScope();
        // documents of lengths 4, 7 and 3 (already with <bos> and <eos>)
        var split = new EncodedSplit([1, 5, 6, 2, 1, 5, 6, 7, 8, 9, 2, 1, 5, 2], [0, 4, 11, 14]);
        using var source = new DocumentWindows(split, batchSize: 3, bptt: 4, torch.CPU, seed: null, "validation");

        var windows = source.Windows(0).ToList();

        Assert.Equal(2, windows.Count);
        Assert.Equal(new long[] { 3, 4 }, windows[0].Input.shape);
        Assert.Equal(new long[] { 3, 2 }, windows[1].Input.shape);
        // sorted by length: the 3-long, 4-long and 7-long documents
        Assert.Equal(new long[] { 5, 2, 0, 0, 5, 6, 2, 0, 5, 6, 7, 8 }, windows[0].Target.data<long>().ToArray());
        Assert.Equal(new long[] { 0, 0, 0, 0, 9, 2 }, windows[1].Target.data<long>().ToArray());
        Assert.Equal(new long[] { 2 + 3 + 4, 2 }, windows.Select(w => w.Tokens));
    }

    [Fact]
    public void TrainingPlanIsSeededAndDiffersByEpoch()
    {
        var lengths = Enumerable.Range(0, 40).Select(i => 3 + i % 7).ToArray();
        var offsets = new int[lengths.Length + 1];
        for (var i = 0; i < lengths.Length; i++)
        {
            offsets[i + 1] = offsets[i] + lengths[i];
        }
        var split = new EncodedSplit(Enumerable.Range(0, offsets[^1]).Select(i => 4 + i % 5).ToArray(), offsets);
        using var a = new DocumentWindows(split, 4, 64, torch.CPU, seed: 5, "training");
        using var b = new DocumentWindows(split, 4, 64, torch.CPU, seed: 5, "training");

        string Epoch(DocumentWindows source, int epoch) => string.Join("|", source.Windows(epoch).Select(w =>
        {
            using (w)
            {
                return string.Join(",", w.Input.data<long>().ToArray());
            }
        }));

        Assert.Equal(Epoch(a, 0), Epoch(b, 0));
        Assert.NotEqual(Epoch(a, 0), Epoch(a, 1));
    }

    [Fact]
    public void TooFewDocumentsForOneBatchIsAnError()
    {
        var split = new EncodedSplit([1, 5, 2, 1, 6, 2], [0, 3, 6]);

        var error = Assert.Throws<RnnLabException>(() => new DocumentWindows(split, 4, 8, torch.CPU, 1, "training"));

        Assert.Equal("the training split has 2 documents, fewer than one batch of --batch-size 4; " +
            "lower --batch-size or give more documents", error.Message);
    }
}

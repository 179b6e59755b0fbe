using RnnLab.Training;

namespace RnnLab.Tests.Models;

// The claims that make documents mode correct: padding changes no document's logits, never enters
// the loss, and the hidden state carried across windows gives exactly one full-length pass.
public sealed class MaskingTests
{
    private static readonly int[][] Documents =
    [
        [1, 5, 6, 7, 2],
        [1, 8, 2],
        [1, 9, 5, 6, 7, 8, 9, 5, 6, 2],
    ];

    public static TheoryData<CellKind> Cells() => new(Enum.GetValues<CellKind>().Where(c => c != CellKind.Elman));

    private static CharRnn Model(CellKind cell)
    {
        torch.manual_seed(11);
        var model = new CharRnn(new ModelConfig { Cell = cell, Layers = 2, Hidden = 10, Embedding = 5 }, 10);
        model.eval();
        return model;
    }

    private static Tensor Padded() // (3, 10)
    {
        var rows = Documents.SelectMany(d => d.Concat(Enumerable.Repeat(0, 10 - d.Length)).Select(i => (long)i));
        return torch.tensor(rows.ToArray(), [3, 10]);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void EachDocumentHasTheSameLogitsAloneAsInTheBatch(CellKind cell)
    {
        using var scope = torch.NewDisposeScope();
        using var model = Model(cell);

        var (batch, _) = model.forward(Padded(), null); // (3, 10, V)

        for (var i = 0; i < Documents.Length; i++)
        {
            var alone = torch.tensor(Documents[i].Select(x => (long)x).ToArray()).unsqueeze(0);
            var (logits, _) = model.forward(alone, null); // (1, L, V)
            var inBatch = batch[i].narrow(0, 0, Documents[i].Length);
            Assert.True(logits[0].allclose(inBatch, rtol: 1e-5, atol: 1e-5), $"document {i} differs");
        }
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void PaddedBatchLossEqualsTheDocumentsAlone(CellKind cell)
    {
        using var scope = torch.NewDisposeScope();
        using var model = Model(cell);
        var padded = Padded();
        var (logits, _) = model.forward(padded.narrow(1, 0, 9), null);

        var batchSum = SequenceLoss.Sum(logits, padded.narrow(1, 1, 9)).item<float>();
        var batchMean = SequenceLoss.Mean(logits, padded.narrow(1, 1, 9), LossOn.All).item<float>();

        var sums = Documents.Select(d =>
        {
            var ids = torch.tensor(d.Select(x => (long)x).ToArray()).unsqueeze(0);
            var (alone, _) = model.forward(ids.narrow(1, 0, d.Length - 1), null);
            return SequenceLoss.Sum(alone, ids.narrow(1, 1, d.Length - 1)).item<float>();
        }).ToArray();
        var targets = Documents.Sum(d => d.Length - 1);
        Assert.Equal(sums.Sum(), batchSum, 4);
        Assert.Equal(sums.Sum() / targets, batchMean, 5);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void CarriedStateAcrossWindowsEqualsOneFullPass(CellKind cell)
    {
        using var scope = torch.NewDisposeScope();
        using var model = Model(cell);
        var input = Padded();
        var (full, _) = model.forward(input, null);

        RecurrentState? state = null;
        var pieces = new List<Tensor>();
        foreach (var (start, length) in new[] { (0, 4), (4, 4), (8, 2) })
        {
            var (logits, next) = model.forward(input.narrow(1, start, length), state);
            pieces.Add(logits);
            state = next.Detach();
        }

        Assert.True(full.allclose(torch.cat(pieces, 1), rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void LastStepLossUsesEachRowsLastRealTarget()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.randn(2, 3, 6);
        var targets = torch.tensor(new long[] { 4, 5, 0, 3, 4, 5 }, [2, 3]);

        var loss = SequenceLoss.Mean(logits, targets, LossOn.Last).item<float>();

        var row0 = -logits[0, 1].log_softmax(0)[5].item<float>();
        var row1 = -logits[1, 2].log_softmax(0)[5].item<float>();
        Assert.Equal((row0 + row1) / 2, loss, 5);
    }
}

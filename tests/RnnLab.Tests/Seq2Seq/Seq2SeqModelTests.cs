using RnnLab.Seq2Seq;

namespace RnnLab.Tests.Seq2Seq;

// The encoder-decoder's claims: a pair's loss does not depend on the padding its batch adds,
// beam width 1 is greedy decoding, and the decoder steps for every cell kind.
public sealed class Seq2SeqModelTests
{
    private static readonly int[][] Sources = [[4, 5, 6, 7, 8], [9, 4], [5, 5, 6, 9, 4, 7, 8]];
    private static readonly int[][] Targets = [[4, 6], [7, 8, 9, 4, 5], [6]];

    public static TheoryData<CellKind, AttentionKind, bool> Variants() => new()
    {
        { CellKind.Lstm, AttentionKind.General, false },
        { CellKind.Gru, AttentionKind.Dot, true },
        { CellKind.RnnTanh, AttentionKind.Concat, false },
        { CellKind.Lstm, AttentionKind.None, true },
        { CellKind.RnnRelu, AttentionKind.Dot, false },
    };

    private static Seq2SeqModel Model(CellKind cell, AttentionKind attention, bool bidirectional, int layers = 2)
    {
        torch.manual_seed(5);
        var model = new Seq2SeqModel(new Seq2SeqModelConfig
        {
            Cell = cell, Layers = layers, Hidden = 8, Embedding = 6, Bidirectional = bidirectional,
            Attention = attention,
        }, 10, 10);
        model.eval();
        return model;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void APaddedBatchsLossIsTheCharacterWeightedMeanOfEachPairsOwnLoss(
        CellKind cell, AttentionKind attention, bool bidirectional)
    {
        using var scope = torch.NewDisposeScope();
        using var model = Model(cell, attention, bidirectional);
        using var noGrad = torch.no_grad();

        using var batch = PairBatches.Make(Sources, Targets, torch.CPU);
        var together = Seq2SeqModel.Loss(model.forward(batch), batch.Target).item<float>();
        double sum = 0;
        var characters = 0;
        for (var i = 0; i < Sources.Length; i++)
        {
            using var alone = PairBatches.Make([Sources[i]], [Targets[i]], torch.CPU);
            var loss = Seq2SeqModel.Loss(model.forward(alone), alone.Target).item<float>();
            sum += loss * (Targets[i].Length + 1); // each pair's mean over its characters and <eos>
            characters += Targets[i].Length + 1;
        }

        Assert.Equal(sum / characters, together, 5);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void BeamWidthOneIsGreedyDecoding(CellKind cell, AttentionKind attention, bool bidirectional)
    {
        using var scope = torch.NewDisposeScope();
        using var model = Model(cell, attention, bidirectional);

        var greedy = Decoding.Greedy(model, Sources, maxLength: 12, withAttention: true);
        for (var i = 0; i < Sources.Length; i++)
        {
            var beam = Decoding.Beam(model, Sources[i], width: 1, lengthPenalty: 1, maxLength: 12,
                withAttention: true);

            Assert.Equal(greedy[i].Ids, beam.Ids);
            Assert.Equal(greedy[i].Ended, beam.Ended);
            Assert.Equal(greedy[i].LogProbability, beam.LogProbability, 4);
            Assert.Equal(greedy[i].Attention?.Length, beam.Attention?.Length);
        }
    }

    [Fact]
    public void GreedyAttentionRowsCoverTheSourceAndSumToOne()
    {
        using var scope = torch.NewDisposeScope();
        using var model = Model(CellKind.Lstm, AttentionKind.General, bidirectional: true);

        var decoded = Decoding.Greedy(model, Sources, maxLength: 6, withAttention: true);

        for (var i = 0; i < Sources.Length; i++)
        {
            var rows = decoded[i].Attention!;
            Assert.Equal(decoded[i].Ids.Length + (decoded[i].Ended ? 1 : 0), rows.Length);
            Assert.All(rows, row =>
            {
                Assert.Equal(Sources[i].Length, row.Length);
                Assert.Equal(1.0, row.Sum(), 5);
            });
        }
    }
}

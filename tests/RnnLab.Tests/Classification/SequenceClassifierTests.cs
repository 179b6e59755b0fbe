using RnnLab.Classification;

namespace RnnLab.Tests.Classification;

public sealed class SequenceClassifierTests
{
    // unsorted lengths on purpose: packing sorts internally and must give the rows back in order
    private static readonly int[][] Items = [[4, 5, 6], [7, 8, 9, 10, 11, 12, 13], [5], [6, 6, 7, 7, 8]];

    public static TheoryData<CellKind, int, bool, int> Shapes() => new()
    {
        { CellKind.Lstm, 1, false, 6 },
        { CellKind.Lstm, 2, true, 6 },
        { CellKind.Gru, 2, true, 0 },
        { CellKind.RnnTanh, 1, true, 6 },
        { CellKind.RnnRelu, 2, false, 6 },
        { CellKind.Elman, 1, false, 6 },
        { CellKind.Elman, 1, false, 0 },
    };

    private static SequenceClassifier Model(CellKind cell, int layers, bool bidirectional, int embedding)
    {
        torch.manual_seed(3);
        var model = new SequenceClassifier(new ClassifierModelConfig
        {
            Cell = cell, Layers = layers, Hidden = 10, Embedding = embedding, Bidirectional = bidirectional,
        }, vocabularySize: 14, classCount: 5);
        model.eval();
        return model;
    }

    private static Tensor Scores(SequenceClassifier model, IReadOnlyList<int[]> items)
    {
        var (ids, lengths) = ItemBatches.Pad(items, torch.CPU);
        return model.forward(ids, lengths); // (B, K)
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EachRowEqualsTheItemRunAlone(CellKind cell, int layers, bool bidirectional, int embedding)
    {
        using var model = Model(cell, layers, bidirectional, embedding);
        using var noGrad = torch.no_grad();

        var batch = Scores(model, Items);

        Assert.Equal([Items.Length, 5L], batch.shape);
        for (var row = 0; row < Items.Length; row++)
        {
            var alone = Scores(model, [Items[row]]); // (1, K): no padding at all
            Assert.True(batch[row].allclose(alone[0], rtol: 1e-5, atol: 1e-6),
                $"row {row} ({cell}) changed with padding or batch company");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ReorderingTheBatchReordersTheScores(CellKind cell, int layers, bool bidirectional, int embedding)
    {
        using var model = Model(cell, layers, bidirectional, embedding);
        using var noGrad = torch.no_grad();
        int[] order = [2, 0, 3, 1];

        var original = Scores(model, Items);
        var shuffled = Scores(model, order.Select(i => Items[i]).ToArray());

        for (var n = 0; n < order.Length; n++)
        {
            Assert.True(shuffled[n].allclose(original[order[n]], rtol: 1e-5, atol: 1e-6));
        }
    }

    [Fact]
    public void LastStateIsTheStateAfterTheLastRealCharacter()
    {
        // a unidirectional LSTM's scores are the head applied to the recurrent output at position
        // length - 1, read from a padded run with no packing at all
        using var model = Model(CellKind.Lstm, 1, false, 6);
        using var noGrad = torch.no_grad();
        var (ids, _) = ItemBatches.Pad(Items, torch.CPU);
        var weights = model.state_dict();
        using var lstm = nn.LSTM(6, 10, batchFirst: true);
        foreach (var name in new[] { "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0" })
        {
            lstm.get_parameter(name)!.copy_(weights[$"rnn.{name}"]);
        }

        var (output, _, _) = lstm.forward(weights["embedding.weight"].index_select(0, ids.flatten()).view(4, 7, 6));
        var expected = Items.Select((item, row) => output[row, item.Length - 1]).ToArray();
        var head = torch.stack(expected).matmul(weights["head.weight"].t()) + weights["head.bias"];

        Assert.True(Scores(model, Items).allclose(head, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void ElmanCellIsTwoLinearLayersOverInputAndPreviousHidden()
    {
        using var model = Model(CellKind.Elman, 1, false, 0);
        using var noGrad = torch.no_grad();
        var w = model.state_dict();
        int[] item = [4, 9, 6];

        // by hand: combined = [one_hot(x_t), h]; h' = tanh(i2h(combined)); the output is i2o at the last step
        var h = torch.zeros(1, 10);
        Tensor output = null!;
        foreach (var id in item)
        {
            var x = nn.functional.one_hot(torch.tensor(new long[] { id }), 14).to(ScalarType.Float32);
            var combined = torch.cat([x, h], 1);
            output = combined.matmul(w["elman.i2o.weight"].t()) + w["elman.i2o.bias"];
            h = (combined.matmul(w["elman.i2h.weight"].t()) + w["elman.i2h.bias"]).tanh();
        }

        Assert.True(Scores(model, [item]).allclose(output, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void EvaluatorPutsEachPredictionBackOnItsItem()
    {
        // the evaluator sorts items by length into batches; predictions must come back in item order
        using var model = Model(CellKind.Gru, 1, true, 6);
        var vocabulary = Vocabulary.Build(CorpusReader.Scalars("abcdefghij"));
        var words = new[] { "abcdefghij", "a", "jihgf", "bb", "cadgebfhij", "ee", "fgh", "d" };
        var items = words.Select((w, i) => new LabeledItem(w, i % 5)).ToArray();
        var batches = new ItemBatches(items, vocabulary, batchSize: 3, torch.CPU);

        var result = ClassifierEvaluator.Evaluate(model, batches, items, ["0", "1", "2", "3", "4"]);

        using var noGrad = torch.no_grad();
        for (var i = 0; i < words.Length; i++)
        {
            var alone = Scores(model, [vocabulary.EncodeText(words[i])]);
            Assert.Equal(alone.argmax(1).item<long>(), result.Predictions[i]);
        }
    }
}

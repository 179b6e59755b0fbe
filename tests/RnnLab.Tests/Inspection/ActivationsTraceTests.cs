using RnnLab.Inspection;

namespace RnnLab.Tests.Inspection;

public sealed class ActivationsTraceTests
{
    private static readonly Vocabulary Abc = Vocabulary.Build(CorpusReader.Scalars("abc"));

    [Theory]
    [InlineData(CellKind.Lstm, CorpusMode.Stream)]
    [InlineData(CellKind.Gru, CorpusMode.Documents)]
    [InlineData(CellKind.RnnTanh, CorpusMode.Stream)]
    [InlineData(CellKind.RnnRelu, CorpusMode.Documents)]
    public void The_top_layer_is_what_the_fused_module_outputs_after_each_character(CellKind cell, CorpusMode mode)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(31);
        var config = new ModelConfig { Cell = cell, Layers = 2, Hidden = 6, Embedding = 4 };
        using var model = new CharRnn(config, Abc.Count);

        var trace = Activations.Trace(model, Abc, mode, "abcab");

        // documents mode reads <bos> first, so character t is the fused output at t + 1
        var ids = mode == CorpusMode.Documents ? new long[] { 1, 4, 5, 6, 4, 5 } : [4, 5, 6, 4, 5];
        var expected = FusedOutputs(model, ids).narrow(0, ids.Length - 5, 5); // (T, H)
        Assert.Equal((5, 6, 1), (trace.Length, trace.Units, trace.Layer));
        AssertClose(expected, trace.Values);
    }

    [Theory]
    [InlineData(CellKind.Lstm)]
    [InlineData(CellKind.Gru)]
    [InlineData(CellKind.RnnTanh)]
    public void A_lower_layer_is_what_a_fused_stack_cut_above_that_layer_outputs(CellKind cell)
    {
        // the library reads lower layers through step cells; a fused module holding only the layers up
        // to the one asked for computes the same thing independently of them
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(32);
        var config = new ModelConfig { Cell = cell, Layers = 3, Hidden = 5, Embedding = 4 };
        using var model = new CharRnn(config, Abc.Count);
        using var cut = new CharRnn(model.Config with { Layers = 2 }, Abc.Count);
        var weights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (torch.no_grad())
        {
            foreach (var (name, parameter) in cut.named_parameters())
            {
                parameter.copy_(weights[name]);
            }
        }

        var trace = Activations.Trace(model, Abc, CorpusMode.Stream, "cabbage", layer: 1);
        var first = Activations.Trace(model, Abc, CorpusMode.Stream, "cabbage", layer: 0);

        // 'g' and 'e' are not in the vocabulary: both are read as <unk> (3)
        long[] ids = [6, 4, 5, 5, 4, 3, 3];
        Assert.Equal(["c", "a", "b", "b", "a", "g", "e"], trace.Characters);
        Assert.Equal(1, trace.Layer);
        AssertClose(FusedOutputs(cut, ids), trace.Values);
        AssertClose(FirstLayerTaps(model, ids), first.Values);
    }

    [Fact]
    public void A_long_text_read_in_chunks_gives_what_one_call_over_all_of_it_gives()
    {
        using var scope = torch.NewDisposeScope();
        var text = Corpora.ShakespeareSlice(1_200);
        var vocabulary = Vocabulary.Build(CorpusReader.Scalars(text));
        torch.manual_seed(35);
        var config = new ModelConfig { Cell = CellKind.Lstm, Layers = 2, Hidden = 6, Embedding = 4 };
        using var model = new CharRnn(config, vocabulary.Count);
        var ids = vocabulary.EncodeText(text).Select(i => (long)i).ToArray();

        var top = Activations.Trace(model, vocabulary, CorpusMode.Stream, text);
        var first = Activations.Trace(model, vocabulary, CorpusMode.Stream, text, layer: 0);

        AssertClose(FusedOutputs(model, ids), top.Values);
        AssertClose(FirstLayerTaps(model, ids), first.Values);
        var (logits, _) = model.forward(torch.tensor(ids).unsqueeze(0), null); // (1, T, V)
        var p = logits[0, 1_000].softmax(-1)[ids[1_001]].item<float>();
        Assert.Equal(-Math.Log2(p), top.Surprisal[1_001]!.Value, 4);
        Assert.Equal(top.Surprisal, first.Surprisal);
    }

    [Fact]
    public void Surprisal_is_minus_log2_of_the_softmax_at_each_next_character_by_hand()
    {
        // a decoder with zero weights and biases (0, 0, 0, 0, ln 3, 0, 0) for <pad> <bos> <eos> <unk> a b c
        // predicts the same everywhere: p(a) = 3 / (6 + 3) = 1/3, p(b) = p(c) = 1/9
        using var scope = torch.NewDisposeScope();
        using var model = new CharRnn(new ModelConfig { Cell = CellKind.Gru, Hidden = 3, Embedding = 2 }, Abc.Count);
        var decoder = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (torch.no_grad())
        {
            decoder["decoder.weight"].zero_();
            decoder["decoder.bias"].copy_(torch.tensor(new[] { 0, 0, 0, 0, MathF.Log(3), 0, 0 }));
        }

        var stream = Activations.Trace(model, Abc, CorpusMode.Stream, "abca").Surprisal;
        var documents = Activations.Trace(model, Abc, CorpusMode.Documents, "abca").Surprisal;

        var a = Math.Log2(3);
        var bc = Math.Log2(9);
        AssertBits([null, bc, bc, a], stream);
        AssertBits([a, bc, bc, a], documents);
    }

    [Fact]
    public void Surprisal_equals_minus_log2_softmax_of_the_models_logits()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(33);
        using var model = new CharRnn(new ModelConfig { Layers = 2, Hidden = 8, Embedding = 4 }, Abc.Count);

        var surprisal = Activations.Trace(model, Abc, CorpusMode.Stream, "abcacb").Surprisal;

        model.eval();
        var ids = torch.tensor(new long[] { 4, 5, 6, 4, 6, 5 }).unsqueeze(0);
        var (logits, _) = model.forward(ids, null); // (1, 6, V)
        var p = logits[0].softmax(-1); // (6, V)
        Assert.Null(surprisal[0]);
        for (var t = 1; t < 6; t++)
        {
            var expected = -Math.Log2(p[t - 1, ids[0, t]].item<float>());
            Assert.Equal(expected, surprisal[t]!.Value, 4);
        }
    }

    [Fact]
    public void A_conditioned_model_needs_its_class_and_reads_under_it()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(34);
        var config = new ModelConfig { Cell = CellKind.Gru, Hidden = 4, Embedding = 3, ClassEmbedding = 2 };
        using var model = new CharRnn(config, Abc.Count, classCount: 2);

        var first = Activations.Trace(model, Abc, CorpusMode.Documents, "abc", classIndex: 0);
        var second = Activations.Trace(model, Abc, CorpusMode.Documents, "abc", classIndex: 1);

        Assert.NotEqual(first.Unit(0), second.Unit(0));
        Assert.Throws<ArgumentException>(() => Activations.Trace(model, Abc, CorpusMode.Documents, "abc"));
    }

    private static Tensor FusedOutputs(CharRnn model, long[] ids)
    {
        using var noGrad = torch.no_grad();
        model.eval();
        var x = model.Inputs(torch.tensor(ids).unsqueeze(0), null); // (1, N, E)
        var output = model.Recurrent switch
        {
            TorchSharp.Modules.LSTM lstm => lstm.forward(x, null).Item1,
            TorchSharp.Modules.GRU gru => gru.forward(x, null).Item1,
            _ => ((TorchSharp.Modules.RNN)model.Recurrent).forward(x, null).Item1,
        };
        return output[0]; // (N, H)
    }

    // layer 0's h at every step, taken from the step cells' taps
    private static Tensor FirstLayerTaps(CharRnn model, long[] ids)
    {
        using var noGrad = torch.no_grad();
        using var stack = StepStack.FromFused(model.Recurrent, model.Config.Cell);
        var first = new List<Tensor>();
        stack.Unroll(model.Inputs(torch.tensor(ids).unsqueeze(0), null), null, (layer, _, h) =>
        {
            if (layer == 0)
            {
                first.Add(h[0]);
            }
            return h;
        });
        return torch.stack(first, 0); // (N, H)
    }

    private static void AssertClose(Tensor expected, float[,] actual)
    {
        Assert.Equal(expected.shape, new long[] { actual.GetLength(0), actual.GetLength(1) });
        var values = expected.data<float>().ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            var (t, unit) = Math.DivRem(i, actual.GetLength(1));
            Assert.True(Math.Abs(values[i] - actual[t, unit]) <= 1e-5,
                $"t {t}, unit {unit}: expected {values[i]}, got {actual[t, unit]}");
        }
    }

    private static void AssertBits(double?[] expected, double?[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var t = 0; t < expected.Length; t++)
        {
            Assert.Equal(expected[t].HasValue, actual[t].HasValue);
            if (expected[t] is { } bits)
            {
                Assert.Equal(bits, actual[t]!.Value, 5);
            }
        }
    }
}

using RnnLab.Seq2Seq;

namespace RnnLab.Tests.Seq2Seq;

// Luong's scores: masking of padded source positions, dot against a hand computation, shapes.
public sealed class AttentionTests
{
    public static TheoryData<AttentionKind> Kinds() =>
        new(AttentionKind.Dot, AttentionKind.General, AttentionKind.Concat);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void WeightsSumToOneOverRealPositionsAndAreExactlyZeroOnPadding(AttentionKind kind)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        using var attention = new LuongAttention(kind, 4);
        var memory = torch.randn(3, 5, 4); // (B, S, H)
        var mask = torch.tensor(new[] { 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0 }, [3, 5]).to(ScalarType.Bool);

        var weights = attention.Weights(torch.randn(3, 4), attention.Keys(memory), mask); // (B, S)

        Assert.Equal([3L, 5L], weights.shape);
        var values = weights.data<float>().ToArray();
        var lengths = new[] { 5, 2, 1 };
        for (var row = 0; row < 3; row++)
        {
            var real = values.Skip(row * 5).Take(lengths[row]).ToArray();
            Assert.Equal(1.0, real.Sum(), 5);
            Assert.All(real, w => Assert.True(w > 0));
            Assert.All(values.Skip(row * 5 + lengths[row]).Take(5 - lengths[row]), w => Assert.Equal(0f, w));
        }
    }

    [Fact]
    public void DotEqualsAHandComputation()
    {
        using var scope = torch.NewDisposeScope();
        using var attention = new LuongAttention(AttentionKind.Dot, 2);
        var memory = torch.tensor(new[] { 1f, 0f, 0f, 1f, 1f, 1f }, [1, 3, 2]); // h_s = (1,0), (0,1), (1,1)
        var top = torch.tensor(new[] { 2f, 1f }, [1, 2]); // h_t
        var mask = torch.ones(1, 3, dtype: ScalarType.Bool);

        var weights = attention.Weights(top, attention.Keys(memory), mask).data<float>().ToArray();

        // scores 2, 1, 3: softmax = e^s / (e^2 + e^1 + e^3)
        var total = Math.Exp(2) + Math.Exp(1) + Math.Exp(3);
        Assert.Equal(Math.Exp(2) / total, weights[0], 6);
        Assert.Equal(Math.Exp(1) / total, weights[1], 6);
        Assert.Equal(Math.Exp(3) / total, weights[2], 6);
    }

    [Fact]
    public void GeneralAndConcatEqualHandComputations()
    {
        using var scope = torch.NewDisposeScope();
        var memory = torch.tensor(new[] { 1f, 0f, 0f, 1f }, [1, 2, 2]); // h_s = (1,0), (0,1)
        var top = torch.tensor(new[] { 1f, 2f }, [1, 2]); // h_t
        var mask = torch.ones(1, 2, dtype: ScalarType.Bool);
        using var general = new LuongAttention(AttentionKind.General, 2);
        using var concat = new LuongAttention(AttentionKind.Concat, 2);
        Set(general, "key.weight", [0f, 1f, 3f, 0f]); // W = [[0, 1], [3, 0]]
        Set(concat, "key.weight", [1f, 0f, 0f, 1f]); // W_s = I
        Set(concat, "query.weight", [0f, 0f, 0f, 1f]); // W_t = [[0, 0], [0, 1]]
        Set(concat, "v.weight", [1f, -1f]);

        var g = general.Weights(top, general.Keys(memory), mask).data<float>().ToArray();
        var c = concat.Weights(top, concat.Keys(memory), mask).data<float>().ToArray();

        // general: W h_s = (0, 3) and (1, 0), so scores h_t·W h_s = 6 and 1
        Assert.Equal(Math.Exp(6) / (Math.Exp(6) + Math.Exp(1)), g[0], 6);
        // concat: W_t h_t = (0, 2); scores v·tanh((1, 2)) and v·tanh((0, 3))
        var (s1, s2) = (Math.Tanh(1) - Math.Tanh(2), Math.Tanh(0) - Math.Tanh(3));
        Assert.Equal(Math.Exp(s1) / (Math.Exp(s1) + Math.Exp(s2)), c[0], 6);
    }

    [Fact]
    public void GeneralStartsAsDot()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5);
        using var general = new LuongAttention(AttentionKind.General, 8);
        using var dot = new LuongAttention(AttentionKind.Dot, 8);
        var (memory, top) = (torch.randn(2, 6, 8), torch.randn(2, 8));
        var mask = torch.tensor(new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0 }, [2, 6]).to(ScalarType.Bool);

        var fromGeneral = general.Weights(top, general.Keys(memory), mask);
        var fromDot = dot.Weights(top, dot.Keys(memory), mask);

        Assert.True(fromGeneral.allclose(fromDot, rtol: 1e-5, atol: 1e-6));
        Assert.True(fromDot.max().item<float>() < 0.99f); // the inputs are not so extreme that both are one-hot
    }

    private static void Set(LuongAttention attention, string name, float[] values)
    {
        using var noGrad = torch.no_grad();
        var parameter = attention.named_parameters().Single(p => p.name == name).parameter;
        parameter.copy_(torch.tensor(values).reshape(parameter.shape));
    }

    [Theory]
    [InlineData(AttentionKind.Dot, 0)]
    [InlineData(AttentionKind.General, 1)]
    [InlineData(AttentionKind.Concat, 3)]
    public void EachKindHasItsOwnParametersAndKeysOfTheMemorysShape(AttentionKind kind, int tensors)
    {
        using var scope = torch.NewDisposeScope();
        using var attention = new LuongAttention(kind, 6);
        var memory = torch.randn(2, 7, 6);

        var keys = attention.Keys(memory);
        var weights = attention.Weights(torch.randn(2, 6), keys, torch.ones(2, 7, dtype: ScalarType.Bool));

        Assert.Equal(tensors, attention.parameters().Count());
        Assert.Equal([2L, 7L, 6L], keys.shape);
        Assert.Equal([2L, 7L], weights.shape);
    }
}

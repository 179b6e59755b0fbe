namespace RnnLab.Tests.Models;

public sealed class CharRnnTests
{
    public static TheoryData<CellKind, int> CellsAndInputs()
    {
        var data = new TheoryData<CellKind, int>();
        foreach (var cell in Enum.GetValues<CellKind>().Where(c => c != CellKind.Elman))
        {
            data.Add(cell, 6); // embedding
            data.Add(cell, 0); // one-hot
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CellsAndInputs))]
    public void ShapesAreBatchFirst(CellKind cell, int embedding)
    {
        using var scope = torch.NewDisposeScope();
        var config = new ModelConfig { Cell = cell, Layers = 3, Hidden = 12, Embedding = embedding };
        using var model = new CharRnn(config, 11);
        var input = torch.randint(0, 11, [5, 7]); // (B, T)

        var (logits, state) = model.forward(input, null);

        Assert.Equal(new long[] { 5, 7, 11 }, logits.shape);
        Assert.Equal(new long[] { 3, 5, 12 }, state.H.shape);
        if (cell == CellKind.Lstm)
        {
            Assert.Equal(new long[] { 3, 5, 12 }, state.C!.shape);
        }
        else
        {
            Assert.Null(state.C);
        }
    }

    [Fact]
    public void StateDictUsesPyTorchNames()
    {
        using var model = new CharRnn(new ModelConfig { Layers = 2, Hidden = 4, Embedding = 3 }, 9);

        var keys = model.state_dict().Keys.Order().ToArray();

        Assert.Equal(new[]
        {
            "decoder.bias", "decoder.weight", "embedding.weight",
            "rnn.bias_hh_l0", "rnn.bias_hh_l1", "rnn.bias_ih_l0", "rnn.bias_ih_l1",
            "rnn.weight_hh_l0", "rnn.weight_hh_l1", "rnn.weight_ih_l0", "rnn.weight_ih_l1",
        }, keys);
    }

    [Fact]
    public void ZeroStateMatchesNoState()
    {
        using var scope = torch.NewDisposeScope();
        using var model = new CharRnn(new ModelConfig { Hidden = 8, Embedding = 4 }, 9);
        model.eval();
        var input = torch.randint(0, 9, [2, 5]);

        var (withNull, _) = model.forward(input, null);
        var (withZeros, _) = model.forward(input, model.ZeroState(2));

        Assert.True(withNull.allclose(withZeros));
    }
}

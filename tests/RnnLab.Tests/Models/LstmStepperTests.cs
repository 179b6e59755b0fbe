namespace RnnLab.Tests.Models;

public sealed class LstmStepperTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(0)]
    public void StepByStepEqualsTheFusedModule(int embedding)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5);
        using var model = new CharRnn(new ModelConfig { Layers = 3, Hidden = 12, Embedding = embedding }, 9);
        model.eval();
        var input = torch.randint(0, 9, [4, 6]); // (B, T)
        var (fused, fusedState) = model.forward(input, null); // (B, T, V)
        using var stepper = new LstmStepper(model);

        var state = model.ZeroState(4);
        for (var t = 0; t < 6; t++)
        {
            var (logits, next) = stepper.Step(input.select(1, t), state); // (B, V)
            Assert.True(logits.allclose(fused.select(1, t), rtol: 1e-5, atol: 1e-5), $"step {t} differs");
            state = next;
        }

        Assert.True(state.H.allclose(fusedState.H, rtol: 1e-5, atol: 1e-5));
        Assert.True(state.C!.allclose(fusedState.C!, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void RefusesOtherCells()
    {
        using var model = new CharRnn(new ModelConfig { Cell = CellKind.Gru, Hidden = 4, Embedding = 2 }, 5);

        Assert.Throws<ArgumentException>(() => new LstmStepper(model));
    }
}

using RnnLab.Training;

namespace RnnLab.Tests.Exposure;

public sealed class SelfFedUnrollTests
{
    public static TheoryData<CellKind> Cells => [CellKind.Lstm, CellKind.Gru, CellKind.RnnTanh, CellKind.RnnRelu];

    private static CharRnn Model(CellKind cell, int seed = 5)
    {
        torch.manual_seed(seed);
        return new CharRnn(new ModelConfig { Cell = cell, Layers = 2, Hidden = 12, Embedding = 6 }, 9);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void TeacherInputsStepByStepEqualTheFusedModuleWithTheSameGradients(CellKind cell)
    {
        using var scope = torch.NewDisposeScope();
        using var model = Model(cell);
        var input = torch.randint(0, 9, [3, 7]); // (B, T)
        var state = model.ZeroState(3);
        state.H.normal_(); // a carried state, not zeros

        var (fused, fusedOutput, fusedState) = model.Run(input, state, null); // (B, T, V)
        fused.square().sum().backward();
        var fusedGrads = model.parameters().Select(p => p.grad!.clone()).ToArray();
        model.zero_grad();
        var (stepped, steppedOutput, steppedState) = SelfFedUnroll.Run(model, input, state, 0, FreeRunning.Sample);
        stepped.square().sum().backward();

        Assert.True(stepped.allclose(fused, rtol: 1e-5, atol: 1e-5));
        Assert.True(steppedOutput.allclose(fusedOutput, rtol: 1e-5, atol: 1e-5));
        Assert.True(steppedState.H.allclose(fusedState.H, rtol: 1e-5, atol: 1e-5));
        Assert.Equal(fusedState.C is null, steppedState.C is null);
        foreach (var (grad, parameter) in fusedGrads.Zip(model.parameters()))
        {
            Assert.True(parameter.grad!.allclose(grad, rtol: 1e-4, atol: 1e-5));
        }
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void FreeRunningWithAFixedSeedRepeatsExactly(CellKind cell)
    {
        using var scope = torch.NewDisposeScope();
        using var model = Model(cell);
        var input = torch.randint(0, 9, [4, 12]);

        Tensor Run(ulong seed)
        {
            using var generator = new Generator(seed);
            return SelfFedUnroll.Run(model, input, null, 1, FreeRunning.Sample, generator).Output;
        }

        var first = Run(11);
        var again = Run(11);
        var other = Run(12);

        Assert.Equal(first.data<float>().ToArray(), again.data<float>().ToArray());
        Assert.False(first.allclose(other), "another seed should give another free run");
    }

    [Fact]
    public void FreeRunningReadsOnlyTheFirstCharacter()
    {
        using var scope = torch.NewDisposeScope();
        using var model = Model(CellKind.Gru);
        var input = torch.randint(0, 9, [2, 6]);
        var changed = input.clone();
        changed.narrow(1, 1, 5).fill_(3); // every character after the first

        using var first = new Generator(4);
        using var second = new Generator(4);
        var a = SelfFedUnroll.Run(model, input, null, 1, FreeRunning.Greedy, first).Logits;
        var b = SelfFedUnroll.Run(model, changed, null, 1, FreeRunning.Greedy, second).Logits;

        Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());
    }
}

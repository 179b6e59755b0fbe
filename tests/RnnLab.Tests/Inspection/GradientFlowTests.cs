using RnnLab.Inspection;

namespace RnnLab.Tests.Inspection;

public sealed class GradientFlowTests
{
    [Theory]
    [InlineData(CellKind.Lstm, FlowLoss.LastStep)]
    [InlineData(CellKind.Gru, FlowLoss.AllSteps)]
    [InlineData(CellKind.RnnTanh, FlowLoss.AllSteps)]
    public void The_gradient_at_the_last_step_equals_the_fused_models_output_gradient(CellKind cell, FlowLoss loss)
    {
        // at the last step nothing comes back through time, so the step cells' dL/dh_T must equal the
        // gradient that reaches the fused module's last output
        torch.manual_seed(21);
        using var model = new CharRnn(new ModelConfig { Cell = cell, Layers = 2, Hidden = 8, Embedding = 5 }, 20);
        model.eval();
        using var ids = torch.randint(4, 20, [2, 7]);
        var input = ids.narrow(1, 0, 6);
        var target = ids.narrow(1, 1, 6);

        var measured = GradientFlow.Measure(model, ids, loss, "test");

        var x = model.Inputs(input, null);
        var (logits, _) = model.forward(input, null);
        var output = model.Recurrent switch
        {
            TorchSharp.Modules.LSTM lstm => lstm.forward(x, null).Item1,
            TorchSharp.Modules.GRU gru => gru.forward(x, null).Item1,
            _ => ((TorchSharp.Modules.RNN)model.Recurrent).forward(x, null).Item1,
        };
        output.retain_grad();
        var decoded = model.Decode(output);
        var value = loss == FlowLoss.LastStep
            ? nn.functional.cross_entropy(decoded.select(1, 5), target.select(1, 5), reduction: nn.Reduction.Sum)
            : nn.functional.cross_entropy(decoded.flatten(0, 1), target.flatten(), reduction: nn.Reduction.Sum);
        value.backward();

        Assert.Equal((2, 6), (measured.Layers, measured.Steps));
        Assert.Equal(output.grad!.select(1, 5).norm().item<float>(), measured.Norms[1, 5], 5);
        Assert.True(logits.allclose(decoded, rtol: 0, atol: 1e-5));
        Assert.All(Enumerable.Range(0, 6), t => Assert.True(measured.Norms[0, t] > 0));
        if (loss == FlowLoss.LastStep)
        {
            // earlier steps get only what flows back through time: less than the last step gets here
            Assert.True(measured.Norms[1, 0] < measured.Norms[1, 5]);
        }
    }
}

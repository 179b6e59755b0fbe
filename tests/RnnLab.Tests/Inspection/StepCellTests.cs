using RnnLab.Inspection;

namespace RnnLab.Tests.Inspection;

public sealed class StepCellTests
{
    [Theory]
    [InlineData(CellKind.Lstm)]
    [InlineData(CellKind.Gru)]
    [InlineData(CellKind.RnnTanh)]
    [InlineData(CellKind.RnnRelu)]
    public void A_step_stack_loaded_from_a_fused_module_computes_what_it_computes(CellKind kind)
    {
        torch.manual_seed(11);
        using var fused = Fused(kind, inputSize: 4, hiddenSize: 6, layers: 2);
        using var x = torch.randn(3, 5, 4); // (B, T, I)
        var h0 = torch.randn(2, 3, 6); // (L, B, H)
        var c0 = kind == CellKind.Lstm ? torch.randn(2, 3, 6) : null;

        var (expected, expectedH, expectedC) = RunFused(fused, x, h0, c0);
        using var stack = StepStack.FromFused(fused, kind);
        var (output, state) = stack.Unroll(x, new RecurrentState(h0, c0));

        Assert.Equal(expected.shape, output.shape);
        Assert.True(output.allclose(expected, rtol: 0, atol: 1e-5), $"outputs differ by {Gap(output, expected)}");
        Assert.True(state.H.allclose(expectedH, rtol: 0, atol: 1e-5), $"h differs by {Gap(state.H, expectedH)}");
        if (c0 is not null)
        {
            Assert.True(state.C!.allclose(expectedC!, rtol: 0, atol: 1e-5),
                $"c differs by {Gap(state.C!, expectedC!)}");
        }
    }

    [Fact]
    public void Weights_copied_back_into_a_fused_module_are_the_same_weights()
    {
        torch.manual_seed(12);
        using var source = Fused(CellKind.Gru, 3, 5, 2);
        using var target = Fused(CellKind.Gru, 3, 5, 2);
        using var stack = StepStack.FromFused(source, CellKind.Gru);

        stack.CopyTo(target);

        var copied = target.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in source.named_parameters())
        {
            Assert.True(parameter.equal(copied[name]).all().item<bool>(), $"{name} differs");
        }
        Assert.Equal(8, copied.Count);
    }

    [Fact]
    public void A_gradient_hook_sees_the_gradient_that_retain_grad_reports_and_can_replace_it()
    {
        torch.manual_seed(13);
        using var w = torch.randn(4, 4).requires_grad_();
        using var x = torch.randn(2, 4);

        var h = x.matmul(w).tanh();
        h.retain_grad();
        Tensor? seen = null;
        var tapped = GradientHooks.Observe(h, g => seen = g.detach().clone());
        tapped.pow(2).sum().backward();

        Assert.NotNull(seen);
        Assert.True(seen.allclose(h.grad!, rtol: 0, atol: 1e-7),
            $"hook and retain_grad differ by {Gap(seen, h.grad!)}");
        Assert.True(seen.allclose(2 * h.detach(), rtol: 0, atol: 1e-6));

        // a hook that zeroes the gradient stops it: w then gets none
        using var w2 = torch.randn(4, 4).requires_grad_();
        GradientHooks.Tap(x.matmul(w2), g => torch.zeros_like(g)).sum().backward();
        Assert.Equal(0.0, w2.grad!.abs().sum().item<float>());
    }

    [Fact]
    public void Gradient_norms_of_a_two_step_linear_rnn_match_a_hand_computation()
    {
        // h_t = W_ih x_t + W_hh h_{t-1}, biases zero, h_0 = 0; W_hh = [[1, 2], [3, 4]]
        using var stack = new StepStack(CellKind.RnnTanh, inputSize: 1, hiddenSize: 2, layers: 1, linear: true);
        var parameters = stack.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (torch.no_grad())
        {
            parameters["cells.0.weight_hh"].copy_(torch.tensor(new float[,] { { 1, 2 }, { 3, 4 } }));
            parameters["cells.0.weight_ih"].copy_(torch.tensor(new float[,] { { 1 }, { -1 } }));
        }
        using var x = torch.ones(1, 2, 1); // (B, T, I)

        var lastOnly = Norms(stack, x, output => output.select(1, 1).sum());
        var allSteps = Norms(stack, x, output => output.sum());

        // last step only: dL/dh_2 = [1, 1]; dL/dh_1 = W_hh^T [1, 1] = [4, 6]
        Assert.Equal(Math.Sqrt(2), lastOnly[1], 5);
        Assert.Equal(Math.Sqrt(16 + 36), lastOnly[0], 5);
        // summed over steps: dL/dh_2 = [1, 1]; dL/dh_1 = [1, 1] + [4, 6] = [5, 7]
        Assert.Equal(Math.Sqrt(2), allSteps[1], 5);
        Assert.Equal(Math.Sqrt(25 + 49), allSteps[0], 5);
    }

    private static double[] Norms(StepStack stack, Tensor x, Func<Tensor, Tensor> loss)
    {
        var norms = new double[x.shape[1]];
        var (output, _) = stack.Unroll(x, null,
            (_, t, h) => GradientHooks.Observe(h, g => norms[t] = g.norm().item<float>()));
        stack.zero_grad();
        loss(output).backward();
        return norms;
    }

    private static nn.Module Fused(CellKind kind, int inputSize, int hiddenSize, int layers) => kind switch
    {
        CellKind.Lstm => nn.LSTM(inputSize, hiddenSize, layers, batchFirst: true),
        CellKind.Gru => nn.GRU(inputSize, hiddenSize, layers, batchFirst: true),
        CellKind.RnnTanh => nn.RNN(inputSize, hiddenSize, layers, nn.NonLinearities.Tanh, batchFirst: true),
        _ => nn.RNN(inputSize, hiddenSize, layers, nn.NonLinearities.ReLU, batchFirst: true),
    };

    private static (Tensor Output, Tensor H, Tensor? C) RunFused(nn.Module fused, Tensor x, Tensor h0, Tensor? c0)
    {
        using var noGrad = torch.no_grad();
        switch (fused)
        {
            case TorchSharp.Modules.LSTM lstm:
                var (output, h, c) = lstm.forward(x, (h0, c0!));
                return (output, h, c);
            case TorchSharp.Modules.GRU gru:
                var (gruOutput, gruH) = gru.forward(x, h0);
                return (gruOutput, gruH, null);
            default:
                var (rnnOutput, rnnH) = ((TorchSharp.Modules.RNN)fused).forward(x, h0);
                return (rnnOutput, rnnH, null);
        }
    }

    private static float Gap(Tensor a, Tensor b) => (a - b).abs().max().item<float>();
}

using RnnLab.Configuration;
using RnnLab.Models;

namespace RnnLab.Inspection;

/// <summary>Which time steps the loss is taken over when gradients are measured.</summary>
public enum FlowLoss { LastStep, AllSteps }

/// <summary>‖dL/dh_t‖ for every layer and step of one model, under one loss.</summary>
/// <param name="Model">What was measured: "checkpoint" or "fresh".</param>
/// <param name="Norms">[layer, t]: the norm of the loss's gradient reaching that hidden state.</param>
public sealed record GradientNorms(string Model, CellKind Cell, FlowLoss Loss, double[,] Norms)
{
    public int Layers => Norms.GetLength(0);

    public int Steps => Norms.GetLength(1);

    /// <summary>How far the gradient falls from the last step to the first, on the top layer.</summary>
    public double FirstToLastRatio => Norms[Layers - 1, 0] / Norms[Layers - 1, Steps - 1];
}

/// <summary>
/// Measures how the gradient of the loss flows back through time: the model's fused recurrent
/// stack is replaced by step cells with the same weights, every hidden state h_t is tapped, and the
/// loss (cross-entropy at the last step only, or summed over all steps) is back-propagated once.
/// </summary>
public static class GradientFlow
{
    /// <param name="model">The language model; measured in eval mode (no dropout).</param>
    /// <param name="ids">Character ids (B, T + 1): the model reads the first T and predicts the last T.</param>
    /// <param name="label">What the model is, for the result ("checkpoint", "fresh").</param>
    public static GradientNorms Measure(CharRnn model, Tensor ids, FlowLoss loss, string label, Tensor? classes = null,
        CancellationToken cancel = default)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = torch.NewDisposeScope();
            using var stack = StepStack.FromFused(model.Recurrent, model.Config.Cell);
            // only the hidden states' gradients are wanted: weights that took gradients would keep a
            // (4H x H) product per step and layer alive until backward, gigabytes over long texts
            foreach (var parameter in stack.parameters())
            {
                parameter.requires_grad = false;
            }
            var steps = (int)ids.shape[1] - 1;
            var input = ids.narrow(1, 0, steps); // (B, T)
            var target = ids.narrow(1, 1, steps); // (B, T)
            var norms = new double[stack.Layers, steps];
            // the input is a leaf of its own, so the graph runs through the hidden states alone; norms
            // are taken in double, since squares of float32 values below 1e-22 round to zero
            var x = model.Inputs(input, classes).detach().requires_grad_();
            var (output, _) = stack.Unroll(x, null, (layer, t, h) =>
            {
                cancel.ThrowIfCancellationRequested();
                return GradientHooks.Observe(h,
                    grad => norms[layer, t] = grad.to(ScalarType.Float64).norm().item<double>());
            });
            var logits = model.Decode(output); // (B, T, V)
            var value = loss == FlowLoss.LastStep
                ? nn.functional.cross_entropy(logits.select(1, steps - 1), target.select(1, steps - 1),
                    reduction: nn.Reduction.Sum)
                : nn.functional.cross_entropy(logits.flatten(0, 1), target.flatten(), reduction: nn.Reduction.Sum);
            value.backward();
            model.zero_grad();
            return new GradientNorms(label, model.Config.Cell, loss, norms);
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}

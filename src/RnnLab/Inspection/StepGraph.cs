using RnnLab.Data;
using RnnLab.Models;

namespace RnnLab.Inspection;

/// <summary>One training step's computation as recorded: the graph, its loss and its size.</summary>
public sealed record StepGraph(GraphRecorder Graph, double Loss, int Steps, long Batch);

/// <summary>
/// Records one training step of a language model: its fused recurrent stack is replaced by step
/// cells with the same weights, the window is run forward with every operation recorded, the loss
/// (mean cross-entropy over every step, as training takes it) is back-propagated, and each
/// parameter's gradient norm is read into the graph.
/// </summary>
public static class StepGraphs
{
    /// <param name="ids">Character ids (B, T + 1): the model reads the first T and predicts the last T.</param>
    /// <param name="classes">Each row's class (B) when the model is conditioned on one.</param>
    public static StepGraph Record(CharRnn model, Tensor ids, Tensor? classes = null)
    {
        var wasTraining = model.training;
        model.eval(); // no dropout: the picture shows the computation, not one random mask
        try
        {
            using var scope = torch.NewDisposeScope();
            var graph = new GraphRecorder();
            var named = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
            foreach (var (name, parameter) in named.Where(p => !p.Key.StartsWith("rnn.", StringComparison.Ordinal)))
            {
                graph.Parameter(name, parameter);
            }
            using var stack = StepStack.FromFused(model.Recurrent, model.Config.Cell);
            stack.Record(graph);

            var steps = (int)ids.shape[1] - 1;
            var input = graph.Input("input ids", ids.narrow(1, 0, steps)); // (B, T)
            var target = graph.Input("target ids", ids.narrow(1, 1, steps)); // (B, T)
            Tensor[] inputOperands = named.TryGetValue("embedding.weight", out var embedding)
                ? [input, embedding]
                : [input];
            if (classes is not null)
            {
                inputOperands = [.. inputOperands, graph.Input("class ids", classes), named["condition.weight"]];
            }
            var x = graph.Op(Describe(model, classes), model.Inputs(input, classes), inputOperands); // (B, T, I)
            var (output, _) = stack.Unroll(x); // (B, T, H)
            var logits = graph.Op("linear (decoder)", model.Decode(output), output, named["decoder.weight"],
                named["decoder.bias"]); // (B, T, V)

            // the loss at every step, then their mean: the gradient reaches h_t from each later step
            var perStep = new Tensor[steps];
            for (var t = 0; t < steps; t++)
            {
                graph.Group = $"loss · t = {t + 1}";
                var stepLogits = graph.Op($"logits[:, {t + 1}]", logits.select(1, t), logits); // (B, V)
                var stepTarget = graph.Op($"target[:, {t + 1}]", target.select(1, t), target); // (B)
                perStep[t] = graph.Op("cross-entropy, summed over rows", nn.functional.cross_entropy(stepLogits,
                    stepTarget, ignore_index: Vocabulary.Pad, reduction: nn.Reduction.Sum), stepLogits, stepTarget);
            }
            graph.Group = null;

            // as the trainer takes it: the mean over every target that is not padding
            var counted = target.ne(Vocabulary.Pad).sum().item<long>();
            if (counted == 0)
            {
                throw new ArgumentException("every target is padding: there is no loss to draw", nameof(ids));
            }
            var loss = graph.Loss($"loss: sum over t ÷ {counted} targets", torch.stack(perStep).sum() / counted,
                perStep);
            loss.backward();
            graph.ReadGradients();
            model.zero_grad();
            return new StepGraph(graph, loss.item<float>(), steps, ids.shape[0]);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static string Describe(CharRnn model, Tensor? classes) =>
        (model.Config.Embedding == 0 ? "one-hot" : "embedding") + (classes is null ? "" : " ⊕ class embedding");
}

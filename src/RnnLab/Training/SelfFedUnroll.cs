using RnnLab.Configuration;
using RnnLab.Models;

namespace RnnLab.Training;

// B batch, T time, E embedding, H hidden, V vocabulary. Batch-first.

/// <summary>
/// Runs a model over a window one step at a time, feeding it at each step either the true character
/// or its own choice from the step before:
/// <code>
///   true input   x0  x1  x2  x3        probability 0: teacher forcing (x0 x1 x2 x3)
///   model reads  x0  ŷ1  x2  ŷ3        probability p: scheduled sampling, a coin per row and step
///                x0  ŷ1  ŷ2  ŷ3        probability 1: free running from the same prefix x0
/// </code>
/// The choices are cut from the graph (a sample has no gradient); the gradient flows through the
/// hidden states, on the fused module's own weights (<see cref="FusedSteps"/>).
/// </summary>
public static class SelfFedUnroll
{
    /// <param name="input">The window's true input ids (B, T).</param>
    /// <param name="state">The carried state (L, B, H), or null for zeros.</param>
    /// <param name="sampleProbability">The chance, per row and step after the first, of reading the
    /// model's own choice instead of the true character.</param>
    /// <param name="generator">Random source for choices and coins (null: the global one, which a
    /// checkpoint saves, so a resumed run repeats).</param>
    /// <returns>Logits (B, T, V), the top layer's outputs (B, T, H) and the state after the last step.</returns>
    public static (Tensor Logits, Tensor Output, RecurrentState State) Run(
        CharRnn model,
        Tensor input,
        RecurrentState? state,
        double sampleProbability,
        FreeRunning how,
        Generator? generator = null)
    {
        var (batch, steps) = (input.shape[0], (int)input.shape[1]);
        var cells = new FusedSteps(model);
        var layers = LayerStates.From(model, state, batch);
        var logits = new Tensor[steps];
        var outputs = new Tensor[steps];
        var current = input.select(1, 0); // (B)
        for (var t = 0; t < steps; t++)
        {
            // one step: embed what is read, recur, decode
            var x = model.Drop(model.Inputs(current.unsqueeze(1), null)).squeeze(1); // (B, E)
            (outputs[t], layers) = cells.Step(x, layers); // (B, H)
            logits[t] = model.Decode(outputs[t]); // (B, V)
            if (t + 1 == steps)
            {
                break;
            }

            // what the next step reads: the model's choice, the true character, or a coin between them
            var truth = input.select(1, t + 1); // (B)
            if (sampleProbability <= 0)
            {
                current = truth;
                continue;
            }
            var choice = Choose(logits[t].detach(), how, generator); // (B)
            current = sampleProbability >= 1
                ? choice
                : torch.where(torch.rand(batch, generator: generator, device: input.device).lt(sampleProbability),
                    choice, truth);
        }
        return (torch.stack(logits, 1), torch.stack(outputs, 1), layers.Stacked()); // (B, T, V), (B, T, H)
    }

    /// <summary>The next input: a sample of the softmax over <paramref name="logits"/> (B, V), or its argmax.</summary>
    public static Tensor Choose(Tensor logits, FreeRunning how, Generator? generator) => how == FreeRunning.Greedy
        ? logits.argmax(-1)
        : logits.softmax(-1).multinomial(1, generator: generator).squeeze(1); // (B)
}

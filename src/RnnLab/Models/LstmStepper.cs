using RnnLab.Configuration;

namespace RnnLab.Models;

// B batch, E embedding (or V when one-hot), C class embedding, H hidden, L layers, V vocabulary,
// K classes.

/// <summary>
/// Runs an LSTM <see cref="CharRnn"/> one character at a time with plain matrix arithmetic, for
/// sampling. On the CPU the fused nn.LSTM hands each call to oneDNN, which reorders the weights
/// every time: about 1.2 ms per one-step call at batch 1 (2 layers of 256), while the same step
/// as matrix products costs a small fraction of that. Results equal the fused module's (tested to
/// 1e-5). Inference only: no dropout, no autograd.
/// </summary>
/// <remarks>
/// At batch 1 a step is bound by reading the weights and by the fixed cost of each libtorch call,
/// so the step is arranged to make few calls and read little:
/// <list type="bullet">
/// <item>the first layer's input product is looked up, not computed: embedding x W_ih + biases is a
/// (V, 4H) table made once (for one-hot input it is W_ih itself), so the step reads one row of it
/// instead of the whole input matrix;</item>
/// <item>all four gates go through one in-place sigmoid: the cell gate's rows of the weights and
/// biases are doubled once, since tanh(x) = 2 sigmoid(2x) - 1, and the cell update
/// c = f c + i tanh(g) becomes f c + 2 i sigmoid(2g) - i.</item>
/// </list>
/// </remarks>
public sealed class LstmStepper : IDisposable
{
    private readonly Tensor inputTable; // (V, 4H): the first layer's input product and both biases
    private readonly Tensor? classTable; // (K, 4H): the class embedding's share of the first layer's input
    private readonly Tensor[] inputWeights; // per layer above the first: (H, 4H), transposed once
    private readonly Tensor[] hiddenWeights; // per layer (H, 4H)
    private readonly Tensor[] biases; // per layer above the first (4H): both libtorch biases summed
    private readonly Tensor decoderWeight; // (H, V)
    private readonly Tensor decoderBias; // (V)

    public LstmStepper(CharRnn model)
    {
        if (model.Config.Cell != CellKind.Lstm)
        {
            throw new ArgumentException($"an LSTM model is needed, not {model.Config.Cell}", nameof(model));
        }
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var weights = model.state_dict();
        var hidden = model.Config.Hidden;
        // libtorch's gate order is input, forget, cell, output: the cell gate's rows are doubled
        var scale = torch.ones(4 * hidden, device: model.Device());
        scale.narrow(0, 2 * hidden, hidden).fill_(2);
        Tensor Scaled(Tensor rows) => rows.detach().mul(rows.dim() == 2 ? scale.unsqueeze(1) : scale); // (4H, ...)
        Tensor Kept(Tensor t) => t.contiguous().MoveToOuterDisposeScope();

        var layers = model.Config.Layers;
        var firstInput = Scaled(weights["rnn.weight_ih_l0"]); // (4H, E [+ C]) or (4H, V [+ C])
        var firstBias = Scaled(weights["rnn.bias_ih_l0"].add(weights["rnn.bias_hh_l0"])); // (4H)
        var characterWidth = weights.TryGetValue("embedding.weight", out var table)
            ? table.shape[1]
            : model.VocabularySize;
        var characterPart = firstInput.narrow(1, 0, characterWidth); // (4H, E) or (4H, V)
        inputTable = Kept((table is null
            ? characterPart.t()
            : table.detach().matmul(characterPart.t())).add(firstBias)); // (V, 4H)
        classTable = weights.TryGetValue("condition.weight", out var classes)
            ? Kept(classes.detach().matmul(firstInput.narrow(1, characterWidth, classes.shape[1]).t())) // (K, 4H)
            : null;
        inputWeights = Enumerable.Range(1, layers - 1)
            .Select(l => Kept(Scaled(weights[$"rnn.weight_ih_l{l}"]).t())).ToArray();
        hiddenWeights = Enumerable.Range(0, layers)
            .Select(l => Kept(Scaled(weights[$"rnn.weight_hh_l{l}"]).t())).ToArray();
        biases = Enumerable.Range(1, layers - 1)
            .Select(l => Kept(Scaled(weights[$"rnn.bias_ih_l{l}"].add(weights[$"rnn.bias_hh_l{l}"])))).ToArray();
        decoderWeight = Kept(weights["decoder.weight"].detach().t());
        decoderBias = Kept(weights["decoder.bias"].detach().clone());
    }

    /// <param name="ids">The current character of each row (B).</param>
    /// <param name="state">h and c, each (L, B, H).</param>
    /// <param name="classes">Each row's class (B), for a model conditioned on one.</param>
    /// <returns>Next-character logits (B, V) and the new state.</returns>
    public (Tensor Logits, RecurrentState State) Step(Tensor ids, RecurrentState state, Tensor? classes = null)
    {
        using var noGrad = torch.no_grad();
        var layers = hiddenWeights.Length;
        var hs = new Tensor[layers];
        var cs = new Tensor[layers];
        Tensor? x = null;
        for (var layer = 0; layer < layers; layer++)
        {
            Tensor gates; // (B, 4H)
            if (layer == 0)
            {
                gates = inputTable.index_select(0, ids);
                if (classTable is not null)
                {
                    gates.add_(classTable.index_select(0, classes!));
                }
            }
            else
            {
                gates = torch.addmm(biases[layer - 1], x!, inputWeights[layer - 1], beta: 1, alpha: 1);
            }
            gates.addmm_(state.H[layer], hiddenWeights[layer], beta: 1, alpha: 1).sigmoid_();
            var chunks = gates.chunk(4, 1); // input, forget, cell (as sigmoid(2g)), output
            var c = chunks[1].mul(state.C![layer]).addcmul_(chunks[0], chunks[2], 2).sub_(chunks[0]); // (B, H)
            hs[layer] = chunks[3].mul(c.tanh()); // (B, H)
            cs[layer] = c;
            x = hs[layer];
        }
        var logits = torch.addmm(decoderBias, x!, decoderWeight, beta: 1, alpha: 1); // (B, V)
        return (logits, new RecurrentState(torch.stack(hs), torch.stack(cs)));
    }

    public void Dispose()
    {
        inputTable.Dispose();
        classTable?.Dispose();
        foreach (var tensor in inputWeights.Concat(hiddenWeights).Concat(biases))
        {
            tensor.Dispose();
        }
        decoderWeight.Dispose();
        decoderBias.Dispose();
    }
}

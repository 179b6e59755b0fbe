using RnnLab.Configuration;

namespace RnnLab.Models;

// B batch, T time, E embedding (V when one-hot), H hidden, L layers, V vocabulary. Batch-first.

/// <summary>
/// A <see cref="CharRnn"/>'s recurrent stack one time step per call, as cell arithmetic on the fused
/// module's own parameters (not copies), so gradients reach the same weights as a fused call. This
/// is what scheduled sampling and free running need: each step's input depends on the step before.
/// A one-step call of the fused nn.LSTM on the CPU reorders its weights through oneDNN every time
/// (about 1.2 ms); two matrix products per layer cost a small fraction of that. Dropout between
/// layers is applied as the fused module applies it, in training mode only.
/// </summary>
public sealed class FusedSteps
{
    private readonly CharRnn model;
    private readonly Tensor[] weightIh; // per layer (G·H, E or H)
    private readonly Tensor[] weightHh; // per layer (G·H, H)
    private readonly Tensor[] biasIh; // per layer (G·H)
    private readonly Tensor[] biasHh; // per layer (G·H)

    public FusedSteps(CharRnn model)
    {
        this.model = model;
        var parameters = model.Recurrent.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var layers = model.Config.Layers;
        Tensor[] Layered(string name) => Enumerable.Range(0, layers).Select(l => parameters[$"{name}_l{l}"]).ToArray();
        (weightIh, weightHh, biasIh, biasHh) =
            (Layered("weight_ih"), Layered("weight_hh"), Layered("bias_ih"), Layered("bias_hh"));
    }

    /// <summary>One step from the characters' input vectors.</summary>
    /// <param name="x">This step's input (B, E), as <see cref="CharRnn.Inputs"/> makes it.</param>
    /// <param name="state">Each layer's h (and c for an LSTM), (B, H) each.</param>
    /// <returns>The top layer's h (B, H) and the new state.</returns>
    public (Tensor Top, LayerStates State) Step(Tensor x, LayerStates state)
    {
        var h = new Tensor[weightIh.Length];
        var c = model.Config.Cell == CellKind.Lstm ? new Tensor[weightIh.Length] : null;
        var dropout = model.training && model.Config.Layers > 1 ? model.Config.Dropout : 0;
        for (var layer = 0; layer < weightIh.Length; layer++)
        {
            if (layer > 0 && dropout > 0)
            {
                x = nn.functional.dropout(x, dropout, training: true);
            }
            var fromInput = nn.functional.linear(x, weightIh[layer], biasIh[layer]); // (B, G·H)
            var fromState = nn.functional.linear(state.H[layer], weightHh[layer], biasHh[layer]); // (B, G·H)
            switch (model.Config.Cell)
            {
                case CellKind.Lstm:
                    // gates in libtorch's order: input, forget, cell, output
                    var gates = fromInput.add_(fromState).chunk(4, 1); // 4 × (B, H)
                    var kept = gates[1].sigmoid().mul(state.C![layer]);
                    c![layer] = kept.add(gates[0].sigmoid().mul(gates[2].tanh())); // (B, H)
                    h[layer] = gates[3].sigmoid().mul(c[layer].tanh()); // (B, H)
                    break;
                case CellKind.Gru:
                    // r and z read input and state summed; n reads r × (the state's part)
                    var input = fromInput.chunk(3, 1);
                    var hidden = fromState.chunk(3, 1);
                    var r = input[0].add(hidden[0]).sigmoid();
                    var z = input[1].add(hidden[1]).sigmoid();
                    var n = input[2].add(r.mul(hidden[2])).tanh(); // (B, H)
                    h[layer] = n.add(z.mul(state.H[layer].sub(n))); // (1 - z) n + z h
                    break;
                case CellKind.RnnTanh:
                    h[layer] = fromInput.add_(fromState).tanh();
                    break;
                default:
                    h[layer] = fromInput.add_(fromState).relu();
                    break;
            }
            x = h[layer];
        }
        return (x, new LayerStates(h, c));
    }
}

/// <summary>The state between steps, one tensor per layer: h (B, H), and c (B, H) for an LSTM.</summary>
public sealed record LayerStates(Tensor[] H, Tensor[]? C)
{
    /// <summary>Per-layer views of a carried state (L, B, H), or zeros when there is none.</summary>
    public static LayerStates From(CharRnn model, RecurrentState? state, long batchSize)
    {
        state ??= model.ZeroState(batchSize);
        var layers = model.Config.Layers;
        return new LayerStates(Enumerable.Range(0, layers).Select(l => state.H[l]).ToArray(),
            state.C is { } c ? Enumerable.Range(0, layers).Select(l => c[l]).ToArray() : null);
    }

    /// <summary>Back to the stacked form the fused module carries (L, B, H).</summary>
    public RecurrentState Stacked() => new(torch.stack(H), C is null ? null : torch.stack(C));
}

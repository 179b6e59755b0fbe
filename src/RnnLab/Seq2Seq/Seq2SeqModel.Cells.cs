using RnnLab.Configuration;
using RnnLab.Data;

namespace RnnLab.Seq2Seq;

// B batch, S source length, H hidden, L layers, D directions, G gates (LSTM 4, GRU 3, else 1).

public sealed partial class Seq2SeqModel
{
    // the decoder's per-layer weights (w_ih, w_hh, b_ih, b_hh); looked up again at every Encode,
    // since moving the model to a device replaces its parameter tensors
    private Tensor[][] cellWeights = [];

    private (Tensor Outputs, Tensor H, Tensor? C) RunEncoder(nn.utils.rnn.PackedSequence packed)
    {
        var named = decoder.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        cellWeights = Enumerable.Range(0, Config.Layers)
            .Select(layer => new[] { "weight_ih", "weight_hh", "bias_ih", "bias_hh" }
                .Select(name => named[$"{name}_l{layer}"]).ToArray())
            .ToArray();
        nn.utils.rnn.PackedSequence outputs;
        Tensor h;
        Tensor? c = null;
        switch (encoder)
        {
            case LSTM lstm:
                (outputs, h, c) = lstm.call(packed);
                break;
            case GRU gru:
                (outputs, h) = gru.call(packed);
                break;
            case RNN plain:
                (outputs, h) = plain.call(packed);
                break;
            default:
                throw new InvalidOperationException($"unexpected encoder {encoder.GetType().Name}");
        }
        using (outputs)
        {
            var (padded, _) = nn.utils.rnn.pad_packed_sequence(outputs, batch_first: true); // (B, S, D*H)
            return (padded, h, c);
        }
    }

    // one step through every decoder layer: PyTorch's cell equations, gates in its order
    private (Tensor[] H, Tensor[]? C) Cells(Tensor x, DecoderState state)
    {
        var hs = new Tensor[Config.Layers];
        var cs = state.C is null ? null : new Tensor[Config.Layers];
        for (var layer = 0; layer < Config.Layers; layer++)
        {
            var w = cellWeights[layer];
            var fromInput = nn.functional.linear(x, w[0], w[2]); // (B, G*H)
            var fromState = nn.functional.linear(state.H[layer], w[1], w[3]); // (B, G*H)
            switch (Config.Cell)
            {
                case CellKind.Lstm:
                    var gates = fromInput.add(fromState).chunk(4, 1); // i, f, g, o: 4 × (B, H)
                    var c = gates[1].sigmoid().mul(state.C![layer]).add(gates[0].sigmoid().mul(gates[2].tanh()));
                    hs[layer] = gates[3].sigmoid().mul(c.tanh());
                    cs![layer] = c;
                    break;
                case CellKind.Gru:
                    var i = fromInput.chunk(3, 1); // r, z, n
                    var s = fromState.chunk(3, 1);
                    var r = i[0].add(s[0]).sigmoid();
                    var z = i[1].add(s[1]).sigmoid();
                    var n = i[2].add(r.mul(s[2])).tanh();
                    hs[layer] = n.add(z.mul(state.H[layer].sub(n))); // (1 - z) n + z h
                    break;
                case CellKind.RnnRelu:
                    hs[layer] = fromInput.add(fromState).relu();
                    break;
                default:
                    hs[layer] = fromInput.add(fromState).tanh();
                    break;
            }
            x = hs[layer];
        }
        return (hs, cs);
    }
}

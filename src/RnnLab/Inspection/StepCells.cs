using RnnLab.Configuration;
using RnnLab.Models;

namespace RnnLab.Inspection;

// B batch, T time, I input, H hidden, L layers. Batch-first.

/// <summary>One layer's state between steps: h (B, H), and c (B, H) for an LSTM.</summary>
public readonly record struct CellState(Tensor H, Tensor? C);

/// <summary>
/// One recurrent layer written as arithmetic, one time step per call, so that every intermediate
/// state is a tensor of its own that hooks and losses can reach. Its parameters have the fused
/// module's per-layer names and gate order (PyTorch's): weight_ih (G·H, I), weight_hh (G·H, H),
/// bias_ih and bias_hh (G·H), with G = 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n) or 1 (Elman).
/// </summary>
public sealed class StepCell : nn.Module
{
    private readonly Parameter weight_ih;
    private readonly Parameter weight_hh;
    private readonly Parameter bias_ih;
    private readonly Parameter bias_hh;

    public StepCell(CellKind kind, int inputSize, int hiddenSize, bool linear = false) : base(nameof(StepCell))
    {
        Kind = kind;
        Linear = linear;
        var gates = kind switch { CellKind.Lstm => 4, CellKind.Gru => 3, _ => 1 };
        if (kind is not (CellKind.Lstm or CellKind.Gru or CellKind.RnnTanh or CellKind.RnnRelu))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "no step cell for this kind");
        }
        weight_ih = nn.Parameter(torch.zeros(gates * hiddenSize, inputSize));
        weight_hh = nn.Parameter(torch.zeros(gates * hiddenSize, hiddenSize));
        bias_ih = nn.Parameter(torch.zeros(gates * hiddenSize));
        bias_hh = nn.Parameter(torch.zeros(gates * hiddenSize));
        RegisterComponents();
    }

    public CellKind Kind { get; }

    /// <summary>An Elman cell without its nonlinearity (h' = W x + U h + b), for checks by hand.</summary>
    public bool Linear { get; }

    public CellState Zero(long batchSize, Device device)
    {
        var hidden = weight_hh.shape[1];
        return new CellState(torch.zeros(batchSize, hidden, device: device),
            Kind == CellKind.Lstm ? torch.zeros(batchSize, hidden, device: device) : null);
    }

    /// <summary>Set while a <see cref="GraphRecorder"/> records this cell's operations.</summary>
    internal GraphRecorder? Recorder { get; set; }

    /// <param name="x">This step's input (B, I).</param>
    /// <param name="state">The layer's state before the step.</param>
    public CellState Step(Tensor x, CellState state)
    {
        // (B, G·H) each
        var fromInput = Op("linear", nn.functional.linear(x, weight_ih, bias_ih), x, weight_ih, bias_ih);
        var fromState = Op("linear", nn.functional.linear(state.H, weight_hh, bias_hh), state.H, weight_hh, bias_hh);
        switch (Kind)
        {
            case CellKind.Lstm:
                var sum = Op("add", fromInput + fromState, fromInput, fromState);
                var gates = Split(sum, "i", "f", "g", "o"); // 4 × (B, H)
                var (i, f, g, o) = (Op("sigmoid", gates[0].sigmoid(), gates[0]),
                    Op("sigmoid", gates[1].sigmoid(), gates[1]), Op("tanh", gates[2].tanh(), gates[2]),
                    Op("sigmoid", gates[3].sigmoid(), gates[3]));
                var kept = Op("mul", f * state.C!, f, state.C!);
                var written = Op("mul", i * g, i, g);
                var c = Op("add → c", kept + written, kept, written);
                var squashed = Op("tanh", c.tanh(), c);
                return new CellState(Op("mul → h", o * squashed, o, squashed), c);
            case CellKind.Gru:
                var input = Split(fromInput, "r", "z", "n");
                var hidden = Split(fromState, "r", "z", "n");
                var r = Sigmoid(input[0], hidden[0]);
                var z = Sigmoid(input[1], hidden[1]);
                var gated = Op("mul", r * hidden[2], r, hidden[2]);
                var preCandidate = Op("add", input[2] + gated, input[2], gated);
                var candidate = Op("tanh", preCandidate.tanh(), preCandidate);
                var keep = Op("1 - z", 1 - z, z);
                var (fresh, old) = (Op("mul", keep * candidate, keep, candidate), Op("mul", z * state.H, z, state.H));
                return new CellState(Op("add → h", fresh + old, fresh, old), null);
            default:
                var total = Op("add", fromInput + fromState, fromInput, fromState);
                return new CellState(Linear ? total
                    : Kind == CellKind.RnnTanh ? Op("tanh → h", total.tanh(), total)
                    : Op("relu → h", total.relu(), total), null);
        }
    }

    private Tensor Op(string op, Tensor result, params Tensor[] operands) =>
        Recorder?.Op(op, result, operands) ?? result;

    private Tensor[] Split(Tensor gates, params string[] names)
    {
        var parts = gates.chunk(names.Length, 1);
        return Recorder?.Op("chunk", parts, names, gates) ?? parts;
    }

    private Tensor Sigmoid(Tensor a, Tensor b)
    {
        var sum = Op("add", a + b, a, b);
        return Op("sigmoid", sum.sigmoid(), sum);
    }

    /// <summary>Copies layer <paramref name="layer"/> of a fused module's parameters into this cell.</summary>
    internal void CopyFrom(IReadOnlyDictionary<string, Tensor> fused, int layer)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, target) in Own())
        {
            target.copy_(fused[$"{name}_l{layer}"]);
        }
    }

    /// <summary>Copies this cell into layer <paramref name="layer"/> of a fused module's parameters.</summary>
    internal void CopyTo(IReadOnlyDictionary<string, Tensor> fused, int layer)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, source) in Own())
        {
            fused[$"{name}_l{layer}"].copy_(source);
        }
    }

    private (string, Tensor)[] Own() =>
        [("weight_ih", weight_ih), ("weight_hh", weight_hh), ("bias_ih", bias_ih), ("bias_hh", bias_hh)];
}

/// <summary>
/// A stack of <see cref="StepCell"/>s unrolled in C#: the same function as the fused nn.LSTM, nn.GRU
/// or nn.RNN it is loaded from (to float precision), with a tap on every hidden state it produces.
/// Dropout between layers is not applied: this is for inspecting a model, not for training it.
/// </summary>
public sealed class StepStack : nn.Module
{
    private readonly ModuleList<StepCell> cells;

    public StepStack(CellKind kind, int inputSize, int hiddenSize, int layers, bool linear = false)
        : base(nameof(StepStack))
    {
        cells = nn.ModuleList(Enumerable.Range(0, layers)
            .Select(l => new StepCell(kind, l == 0 ? inputSize : hiddenSize, hiddenSize, linear)).ToArray());
        RegisterComponents();
    }

    public int Layers => cells.Count;

    /// <summary>
    /// Records every operation of the next unrolls into <paramref name="recorder"/> (null: stop), with
    /// the parameters named as in the fused module (weight_ih_l0, ...).
    /// </summary>
    public void Record(GraphRecorder? recorder)
    {
        for (var l = 0; l < cells.Count; l++)
        {
            cells[l].Recorder = recorder;
            foreach (var (name, parameter) in cells[l].named_parameters())
            {
                recorder?.Parameter($"{name}_l{l}", parameter);
            }
        }
    }

    /// <summary>A stack with the weights of a fused recurrent module (its parameters weight_ih_l0, ...).</summary>
    public static StepStack FromFused(nn.Module fused, CellKind kind)
    {
        var parameters = fused.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var layers = parameters.Keys.Count(k => k.StartsWith("weight_ih_l", StringComparison.Ordinal));
        var inputSize = (int)parameters["weight_ih_l0"].shape[1];
        var hiddenSize = (int)parameters["weight_hh_l0"].shape[1];
        var stack = new StepStack(kind, inputSize, hiddenSize, layers);
        for (var l = 0; l < layers; l++)
        {
            stack.cells[l].CopyFrom(parameters, l);
        }
        return stack;
    }

    /// <summary>Writes this stack's weights into a fused module of the same shape.</summary>
    public void CopyTo(nn.Module fused)
    {
        var parameters = fused.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        for (var l = 0; l < cells.Count; l++)
        {
            cells[l].CopyTo(parameters, l);
        }
    }

    /// <param name="x">Inputs (B, T, I).</param>
    /// <param name="state">The carried state (L, B, H) as the fused modules take it, or null for zeros.</param>
    /// <param name="tap">Called with (layer, t, h_t); what it returns is used as h_t from then on (e.g. a
    /// <see cref="GradientHooks"/> tap, or the same tensor kept for a loss on hidden states).</param>
    /// <returns>The top layer's outputs (B, T, H) and the state after the last step.</returns>
    public (Tensor Output, RecurrentState State) Unroll(Tensor x, RecurrentState? state = null,
        Func<int, int, Tensor, Tensor>? tap = null)
    {
        var steps = (int)x.shape[1];
        var recorder = cells[0].Recorder;
        var layerInput = Enumerable.Range(0, steps) // T × (B, I)
            .Select(t => recorder?.Op($"x[:, {t + 1}]", x.select(1, t), x) ?? x.select(1, t)).ToArray();
        var finalH = new Tensor[cells.Count];
        var finalC = new Tensor?[cells.Count];
        for (var l = 0; l < cells.Count; l++)
        {
            var current = state is null
                ? cells[l].Zero(x.shape[0], x.device)
                : new CellState(state.H[l], state.C?[l]);
            if (recorder is not null)
            {
                recorder.Input($"h0, layer {l}", current.H);
                if (current.C is { } c0)
                {
                    recorder.Input($"c0, layer {l}", c0);
                }
            }
            for (var t = 0; t < steps; t++)
            {
                recorder?.Group = $"layer {l} · t = {t + 1}";
                current = cells[l].Step(layerInput[t], current);
                if (tap is not null)
                {
                    current = current with { H = tap(l, t, current.H) };
                }
                layerInput[t] = current.H; // the next layer reads this layer's output
            }
            finalH[l] = current.H;
            finalC[l] = current.C;
        }
        var c = cells[0].Kind == CellKind.Lstm ? torch.stack(finalC.Select(t => t!), 0) : null;
        recorder?.Group = null;
        var output = torch.stack(layerInput, 1);
        return (recorder?.Op("stack over t", output, layerInput) ?? output,
            new RecurrentState(torch.stack(finalH, 0), c));
    }
}

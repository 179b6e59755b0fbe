using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Models;

namespace RnnLab.Inspection;

// T time (the text's characters), N ids read (T, or T + 1 with <bos>), H hidden, V vocabulary,
// L layers. Batch-first, one row.

/// <summary>One layer's hidden state after each character of a text, and each character's surprisal.</summary>
/// <param name="Characters">The text's characters (Unicode scalars) as given, also those read as &lt;unk&gt;.</param>
/// <param name="Layer">The layer the values come from (0 is the first, the one reading the characters).</param>
/// <param name="Values">[t, unit]: h of that layer just after reading character t.</param>
/// <param name="Surprisal">-log2 p(character t | those before it) in bits; null where the model predicts
/// nothing: the first character in stream mode, which has no context.</param>
public sealed record ActivationTrace(IReadOnlyList<string> Characters, int Layer, float[,] Values, double?[] Surprisal)
{
    public int Length => Values.GetLength(0);

    public int Units => Values.GetLength(1);

    /// <summary>One unit's values over the text.</summary>
    public double[] Unit(int unit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unit);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(unit, Units);
        var values = new double[Length];
        for (var t = 0; t < values.Length; t++)
        {
            values[t] = Values[t, unit];
        }
        return values;
    }
}

/// <summary>Reads a text through a language model and keeps what one layer's units did at each character.</summary>
public static class Activations
{
    // ids per call: long texts go through in chunks with the state carried, so that memory stays
    // bounded (step cells keep every step's gate tensors until their dispose scope ends)
    private const int Chunk = 512;

    /// <param name="model">The language model; run in eval mode without gradients.</param>
    /// <param name="mode">Documents mode reads the text as one document: &lt;bos&gt; first, so the first
    /// character is predicted too. Stream mode starts at the first character.</param>
    /// <param name="text">The characters; those the vocabulary lacks are read as &lt;unk&gt;.</param>
    /// <param name="layer">The layer to keep (default: the top one).</param>
    /// <param name="classIndex">The class, for a model conditioned on one (required exactly then).</param>
    /// <param name="progress">Told the number of ids read so far after each chunk.</param>
    public static ActivationTrace Trace(CharRnn model, Vocabulary vocabulary, CorpusMode mode, string text,
        int? layer = null, int? classIndex = null, IProgress<int>? progress = null,
        CancellationToken cancel = default)
    {
        var characters = CorpusReader.Scalars(text).Select(char.ConvertFromUtf32).ToArray();
        var top = model.Config.Layers - 1;
        var chosen = layer ?? top;
        ArgumentOutOfRangeException.ThrowIfNegative(chosen, nameof(layer));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chosen, top, nameof(layer));
        ArgumentOutOfRangeException.ThrowIfZero(characters.Length, nameof(text));
        if ((model.ClassCount > 0) != classIndex.HasValue)
        {
            throw new ArgumentException(model.ClassCount > 0
                ? "this model is conditioned on a class; pass its index"
                : "this model is not conditioned on a class", nameof(classIndex));
        }
        var offset = mode == CorpusMode.Documents ? 1 : 0;
        var ids = (offset == 1 ? [(long)Vocabulary.Bos] : Array.Empty<long>())
            .Concat(vocabulary.EncodeText(text).Select(i => (long)i)).ToArray();

        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            var device = model.Device();
            var input = torch.tensor(ids).unsqueeze(0).to(device); // (1, N)
            var classes = classIndex is { } c ? torch.tensor(new long[] { c }).to(device) : null; // (1)
            // the fused modules return only the top layer's outputs; a lower layer's come from step cells
            // with the same weights (equal to the fused module to 1e-5, see StepCells.cs)
            using var stack = chosen == top ? null : StepStack.FromFused(model.Recurrent, model.Config.Cell);
            stack?.to(device);
            using var reader = new Reader(model, stack, chosen, input, classes);
            var values = new float[characters.Length, model.Config.Hidden];
            var bits = new double?[ids.Length]; // [i]: surprisal of id i; null for the first
            for (var start = 0; start < ids.Length; start += Chunk)
            {
                cancel.ThrowIfCancellationRequested();
                var length = Math.Min(Chunk, ids.Length - start);
                reader.Read(start, length, values, offset, bits);
                progress?.Report(start + length);
            }
            return new ActivationTrace(characters, chosen, values, bits[offset..]);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>Reads ids chunk by chunk, carrying the fused and the step cells' states across chunks.</summary>
    private sealed class Reader(CharRnn model, StepStack? stack, int layer, Tensor input, Tensor? classes)
        : IDisposable
    {
        private RecurrentState? fused;
        private RecurrentState? steps;

        public void Read(int start, int length, float[,] values, int offset, double?[] bits)
        {
            using var scope = torch.NewDisposeScope();
            var x = model.Inputs(input.narrow(1, start, length), classes); // (1, n, E+C)
            var (output, next) = model.Recur(x, fused); // (1, n, H)
            var hidden = output[0]; // (n, H)
            if (stack is not null)
            {
                // TODO: an LSTM's cell state c too (the step cells compute it; the page would need a switch)
            var kept = new List<Tensor>(length);
                var (_, after) = stack.Unroll(x, steps, (l, _, h) =>
                {
                    if (l == layer)
                    {
                        kept.Add(h[0]); // (H)
                    }
                    return h;
                });
                hidden = torch.stack(kept, 0); // (n, H)
                Replace(ref steps, after);
            }
            Replace(ref fused, next);
            Copy(hidden, values, start - offset);

            // the logits at id i predict id i + 1, which the last chunk does not have for its last id
            var predicted = Math.Min(length, (int)input.shape[1] - 1 - start);
            if (predicted > 0)
            {
                var logP = model.Decode(output)[0].narrow(0, 0, predicted).log_softmax(-1) // (n, V)
                    .gather(1, input[0].narrow(0, start + 1, predicted).unsqueeze(1)) // (n, 1)
                    .flatten().to(ScalarType.Float64).cpu().data<double>().ToArray();
                for (var i = 0; i < predicted; i++)
                {
                    bits[start + 1 + i] = Bits(logP[i]);
                }
            }
        }

        public void Dispose()
        {
            fused?.Dispose();
            steps?.Dispose();
        }

        private static void Replace(ref RecurrentState? state, RecurrentState next)
        {
            state?.Dispose();
            state = next.MoveToOuterDisposeScope();
        }

        // rows of ids before the text (<bos>) are skipped
        private static void Copy(Tensor hidden, float[,] values, int firstRow)
        {
            var units = values.GetLength(1);
            var flat = hidden.cpu().contiguous().data<float>().ToArray(); // n·H
            var skip = Math.Max(0, -firstRow);
            Buffer.BlockCopy(flat, skip * units * sizeof(float), values, (firstRow + skip) * units * sizeof(float),
                (flat.Length - skip * units) * sizeof(float));
        }
    }

    private static double? Bits(double logP)
    {
        var bits = -logP / Math.Log(2);
        return double.IsFinite(bits) ? bits : null;
    }
}

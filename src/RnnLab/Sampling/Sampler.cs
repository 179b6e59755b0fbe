using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Models;

namespace RnnLab.Sampling;

// B samples, V vocabulary.

/// <summary>
/// Generates text one character per step, all samples as one batch, carrying the state forward
/// (nothing is recomputed), without autograd. Each new character is reported as soon as it exists.
/// </summary>
public sealed partial class Sampler(CharRnn model, Vocabulary vocabulary, CorpusMode mode)
{
    /// <param name="onText">Called with (sample index, text) for the prime and then each new character.</param>
    /// <returns>Each sample's full text: the prime followed by what was generated.</returns>
    /// <param name="cancel">Stops generating early (Ctrl-C); what was made so far is returned.</param>
    public IReadOnlyList<string> Generate(
        SampleOptions options,
        Action<int, string>? onText = null,
        CancellationToken cancel = default)
    {
        options.Validate();
        var prime = PrimeIds(options);
        CheckClass(options);
        if (options.Beam > 0)
        {
            return [Beam(options, prime, onText, cancel)];
        }
        var rows = options.NumSamples;
        var texts = Enumerable.Range(0, rows).Select(_ => new System.Text.StringBuilder(options.Prime)).ToArray();
        for (var row = 0; row < rows && options.Prime.Length > 0; row++)
        {
            onText?.Invoke(row, options.Prime);
        }
        var wasTraining = model.training;
        model.eval();
        using var inference = torch.inference_mode();
        using var threads = IntraOpThreads.ForSteps(rows, model.Device());
        var chooser = new CharacterChooser(options, Banned(), options.Seed ?? Random.Shared.NextInt64());
        var chosen = new long[rows];
        var hostLogits = new float[rows * vocabulary.Count];
        using var classes = options.ClassIndex is { } label
            ? torch.full(rows, label, dtype: ScalarType.Int64, device: model.Device())
            : null;
        var finished = new bool[rows];

        // the prime goes through the fused module in one call; then one step per character,
        // carrying the state, through the LSTM stepper where there is one
        using var stepper = model.Config.Cell == CellKind.Lstm ? new LstmStepper(model) : null;
        Tensor logits;
        RecurrentState state;
        using (torch.NewDisposeScope())
        {
            var primeIds = torch.tensor(prime).unsqueeze(0).expand(rows, -1); // (B, P)
            var (first, after) = Forward(primeIds, null, null, classes); // (B, V)
            (logits, state) = (first.MoveToOuterDisposeScope(), after.MoveToOuterDisposeScope());
        }
        for (var step = 0; step < options.Length && !finished.All(f => f); step++)
        {
            if (cancel.IsCancellationRequested)
            {
                break;
            }
            using var scope = torch.NewDisposeScope();
            // the logits come to the host, where the choice is made: one copy per step
            using (var host = logits.to(ScalarType.Float32).cpu())
            using (var values = host.data<float>())
            {
                values.CopyTo(hostLogits);
            }
            chooser.Choose(hostLogits, rows, chosen);
            for (var row = 0; row < rows; row++)
            {
                if (finished[row])
                {
                    continue;
                }
                if (chosen[row] == Vocabulary.Eos)
                {
                    finished[row] = true;
                    continue;
                }
                var piece = vocabulary.Decode((int)chosen[row]);
                texts[row].Append(piece);
                onText?.Invoke(row, piece);
            }
            if (step + 1 < options.Length)
            {
                var (nextLogits, nextState) = Forward(torch.tensor(chosen), state, stepper, classes);
                logits.Dispose();
                state.Dispose();
                (logits, state) = (nextLogits.MoveToOuterDisposeScope(), nextState.MoveToOuterDisposeScope());
            }
        }
        logits.Dispose();
        state.Dispose();
        model.train(wasTraining);
        return texts.Select(t => t.ToString()).ToArray();
    }

    // ids (B, P) or (B): the logits after the last one (B, V) and the state after it
    private (Tensor Logits, RecurrentState State) Forward(
        Tensor ids,
        RecurrentState? state,
        LstmStepper? stepper,
        Tensor? classes)
    {
        ids = ids.to(model.Device());
        if (stepper is not null && state is not null && ids.dim() == 1)
        {
            return stepper.Step(ids, state, classes);
        }
        var (logits, next) = model.forward(ids.dim() == 1 ? ids.unsqueeze(1) : ids, state, classes); // (B, T, V)
        return (logits.select(1, -1), next);
    }

    private void CheckClass(SampleOptions options)
    {
        if (model.ClassCount > 0 && options.ClassIndex is null)
        {
            throw new RnnLabException("this model is conditioned on a class; pass --class with one of its classes");
        }
        if (model.ClassCount == 0 && options.ClassIndex is not null)
        {
            throw new RnnLabException("this model is not conditioned on a class; drop --class");
        }
        if (options.ClassIndex is < 0 || options.ClassIndex >= model.ClassCount)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ClassIndex, "no such class");
        }
    }

    private long[] PrimeIds(SampleOptions options)
    {
        var missing = vocabulary.Missing(options.Prime);
        if (missing.Count > 0 && !options.UnknownToUnk)
        {
            throw new RnnLabException(
                "the prime text has characters the model's vocabulary lacks: " +
                $"{string.Join(" ", missing.Select(Quote))}; " +
                "remove them or pass --unknown-to-unk to map them to <unk>");
        }
        var ids = vocabulary.EncodeText(options.Prime).Select(i => (long)i);
        if (mode == CorpusMode.Documents)
        {
            return [Vocabulary.Bos, .. ids];
        }
        var start = options.Prime.Length > 0 ? ids : [StreamStart()];
        return start.ToArray();
    }

    // with no prime a stream starts after a newline (or, lacking one, after the first character)
    private long StreamStart() => vocabulary.Contains('\n') ? vocabulary.Encode('\n') : Vocabulary.Specials.Count;

    // <pad>, <bos> and <unk> are never generated; <eos> only where documents end with it
    private bool[] Banned()
    {
        var banned = new bool[vocabulary.Count];
        banned[Vocabulary.Pad] = banned[Vocabulary.Bos] = banned[Vocabulary.Unk] = true;
        banned[Vocabulary.Eos] = mode != CorpusMode.Documents;
        return banned;
    }

    private static string Quote(string c) => c switch
    {
        "\n" => "'\\n'",
        "\t" => "'\\t'",
        _ => $"'{c}'",
    };
}

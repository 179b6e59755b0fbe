using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Models;

namespace RnnLab.Sampling;

/// <summary>One character's probability under the model, given everything before it.</summary>
public sealed record CharScore(int Position, string Character, double Probability)
{
    /// <summary>Surprisal in bits: -log2 p.</summary>
    public double Surprisal => -Math.Log2(Probability);
}

/// <summary>Scores text character by character, in chunks with the state carried across them.</summary>
public static class Scorer
{
    private const long Chunk = 4096;

    /// <summary>
    /// In documents mode the text is read as one document: the first character is predicted from
    /// &lt;bos&gt; and &lt;eos&gt; is scored last. In stream mode the first character has no context
    /// and is not scored.
    /// </summary>
    public static IReadOnlyList<CharScore> Score(
        CharRnn model, Vocabulary vocabulary, CorpusMode mode, string text, bool unknownToUnk = false)
    {
        if (model.ClassCount > 0)
        {
            // TODO: scoring under a class-conditioned model needs a --class; not built yet
            throw new RnnLabException(
                "this model is conditioned on a class; 'rnnlab score' does not support such models yet");
        }
        var missing = vocabulary.Missing(text);
        if (missing.Count > 0 && !unknownToUnk)
        {
            throw new RnnLabException(
                "the text has characters the model's vocabulary lacks: " +
                $"{string.Join(" ", missing.Select(m => $"'{m}'"))}; " +
                "pass --unknown-to-unk to score them as <unk>");
        }
        var ids = vocabulary.EncodeText(text).Select(i => (long)i).ToList();
        if (mode == CorpusMode.Documents)
        {
            ids.Insert(0, Vocabulary.Bos);
            ids.Add(Vocabulary.Eos);
        }
        if (ids.Count < 2)
        {
            throw new RnnLabException("the text is too short to score; give at least two characters");
        }
        var wasTraining = model.training;
        model.eval();
        using var inference = torch.inference_mode();
        using var scope = torch.NewDisposeScope();
        var input = torch.tensor(ids.ToArray()).unsqueeze(0).to(model.Device()); // (1, N)

        // long texts go through in chunks with the state carried, so memory stays bounded
        var probabilities = new List<float>(ids.Count);
        RecurrentState? state = null;
        for (var start = 0L; start < ids.Count - 1; start += Chunk)
        {
            using var chunkScope = torch.NewDisposeScope();
            var length = Math.Min(Chunk, ids.Count - 1 - start);
            var (logits, next) = model.forward(input.narrow(1, start, length), state); // (1, T, V)
            probabilities.AddRange(logits.log_softmax(-1)
                .gather(2, input.narrow(1, start + 1, length).unsqueeze(2)) // (1, T, 1)
                .exp().flatten().cpu().data<float>().ToArray());
            state?.Dispose();
            state = next.MoveToOuterDisposeScope();
        }
        state?.Dispose();
        model.train(wasTraining);
        var offset = mode == CorpusMode.Documents ? 0 : 1;
        return probabilities
            .Select((p, i) => new CharScore(i + offset, vocabulary.Decode((int)ids[i + 1]), p))
            .ToArray();
    }
}

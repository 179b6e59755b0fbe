using RnnLab.Configuration;
using RnnLab.Data;

namespace RnnLab.Seq2Seq;

// B sources (greedy) or live hypotheses (beam), S source length, V target vocabulary.

/// <summary>
/// One decoded output: its target ids (&lt;eos&gt; not included), their summed log-probability (the
/// &lt;eos&gt; step included when it was reached), and, when asked for, the attention weights of each
/// output step over the source's characters (one row per id, then one for &lt;eos&gt; when reached).
/// </summary>
public sealed record Decoded(int[] Ids, double LogProbability, bool Ended, float[][]? Attention);

/// <summary>
/// Greedy decoding (the most likely character at each step, all sources as one batch) and beam
/// search (one source at a time, <c>width</c> hypotheses as the batch). Both stop at &lt;eos&gt; or after
/// <c>maxLength</c> characters; &lt;pad&gt;, &lt;bos&gt; and &lt;unk&gt; are never produced.
/// </summary>
public static class Decoding
{
    public static IReadOnlyList<Decoded> Greedy(Seq2SeqModel model, IReadOnlyList<int[]> sources, int maxLength,
        bool withAttention = false)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var device = model.parameters().First().device;
        var (ids, lengths) = Classification.ItemBatches.Pad(sources, device); // (B, S)
        var (source, state) = model.Encode(ids, lengths);
        var rows = sources.Count;
        var banned = Banned(model.TargetVocabulary, device);
        var previous = torch.full(rows, Vocabulary.Bos, dtype: ScalarType.Int64, device: device); // (B)
        var outputs = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToArray();
        var attention = Enumerable.Range(0, rows).Select(_ => new List<float[]>()).ToArray();
        var logProbability = new double[rows];
        var ended = new bool[rows];
        for (var t = 0; t < maxLength && !ended.All(e => e); t++)
        {
            var (logits, next, weights) = model.Step(previous, state, source);
            var logProbabilities = logits.masked_fill(banned, double.NegativeInfinity).log_softmax(1); // (B, V)
            var (best, choice) = logProbabilities.max(1); // (B), (B)
            var chosen = choice.cpu().data<long>().ToArray();
            var scores = best.to(ScalarType.Float64).cpu().data<double>().ToArray();
            var rowsOfWeights = withAttention && weights is not null ? Rows(weights) : null;
            for (var row = 0; row < rows; row++)
            {
                if (ended[row])
                {
                    continue;
                }
                logProbability[row] += scores[row];
                if (rowsOfWeights is not null)
                {
                    attention[row].Add(rowsOfWeights[row][..sources[row].Length]);
                }
                if (chosen[row] == Vocabulary.Eos)
                {
                    ended[row] = true;
                }
                else
                {
                    outputs[row].Add((int)chosen[row]);
                }
            }
            (previous, state) = (choice, next);
        }
        return Enumerable.Range(0, rows).Select(row => new Decoded(outputs[row].ToArray(), logProbability[row],
            ended[row], withAttention && model.Config.Attention != AttentionKind.None
                ? attention[row].ToArray() : null)).ToArray();
    }

    /// <summary>
    /// Beam search: at each step every live hypothesis is extended by every character and the best
    /// <paramref name="width"/> extensions that do not end live on; those that end (&lt;eos&gt;) are set
    /// aside, until <paramref name="width"/> have ended or <paramref name="maxLength"/> is reached. The
    /// winner has the highest log p / length^<paramref name="lengthPenalty"/> (length counts &lt;eos&gt;).
    /// Width 1 is greedy decoding.
    /// </summary>
    /// TODO: batch several sources' beams (one source at a time is simple and fast enough for a test
    /// split of about a thousand short sentences).
    public static Decoded Beam(Seq2SeqModel model, int[] sourceIds, int width, double lengthPenalty, int maxLength,
        bool withAttention = false)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var device = model.parameters().First().device;
        var (ids, lengths) = Classification.ItemBatches.Pad([sourceIds], device); // (1, S)
        var (source, state) = model.Encode(ids, lengths);
        var banned = Banned(model.TargetVocabulary, device);
        var vocabulary = model.TargetVocabulary;
        List<Hypothesis> live = [new([], 0, [])];
        var ended = new List<Hypothesis>();
        var previous = torch.tensor(new long[] { Vocabulary.Bos }, device: device); // (B)
        for (var t = 0; t < maxLength && live.Count > 0 && ended.Count < width; t++)
        {
            var (logits, next, weights) = model.Step(previous, state, source);
            var logProbabilities = logits.masked_fill(banned, double.NegativeInfinity).log_softmax(1)
                .to(ScalarType.Float64); // (B, V)
            var totals = logProbabilities.add(torch.tensor(live.Select(h => h.LogProbability).ToArray(),
                device: device).unsqueeze(1)).view(-1); // (B*V)
            var k = (int)Math.Min(2L * width, totals.shape[0]);
            var (top, index) = totals.topk(k);
            var scores = top.cpu().data<double>().ToArray();
            var picks = index.cpu().data<long>().ToArray();
            var rowsOfWeights = withAttention && weights is not null ? Rows(weights) : null;
            var survivors = new List<Hypothesis>();
            var parents = new List<long>();
            for (var n = 0; n < k && survivors.Count < width && double.IsFinite(scores[n]); n++)
            {
                var (parent, token) = ((int)(picks[n] / vocabulary), (int)(picks[n] % vocabulary));
                var trail = rowsOfWeights is null ? live[parent].Attention
                    : [.. live[parent].Attention, rowsOfWeights[parent][..sourceIds.Length]];
                if (token == Vocabulary.Eos)
                {
                    ended.Add(new Hypothesis(live[parent].Ids, scores[n], trail, Ended: true));
                    continue;
                }
                survivors.Add(new Hypothesis([.. live[parent].Ids, token], scores[n], trail));
                parents.Add(parent);
            }
            if (survivors.Count == 0)
            {
                break;
            }
            var keep = torch.tensor(parents.ToArray(), device: device);
            (state, source) = (next.Select(keep), source.Select(keep));
            previous = torch.tensor(survivors.Select(h => (long)h.Ids[^1]).ToArray(), device: device);
            live = survivors;
        }
        var best = (ended.Count > 0 ? ended : live)
            .MaxBy(h => h.LogProbability / Math.Pow(h.Ids.Count + (h.Ended ? 1 : 0), lengthPenalty))!;
        return new Decoded(best.Ids.ToArray(), best.LogProbability, best.Ended,
            withAttention && model.Config.Attention != AttentionKind.None ? best.Attention.ToArray() : null);
    }

    private sealed record Hypothesis(List<int> Ids, double LogProbability, List<float[]> Attention,
        bool Ended = false);

    private static float[][] Rows(Tensor weights)
    {
        var width = (int)weights.shape[1];
        var flat = weights.cpu().data<float>().ToArray();
        return Enumerable.Range(0, (int)weights.shape[0]).Select(r => flat.AsSpan(r * width, width).ToArray())
            .ToArray();
    }

    private static Tensor Banned(int vocabulary, Device device)
    {
        var banned = new bool[vocabulary];
        banned[Vocabulary.Pad] = banned[Vocabulary.Bos] = banned[Vocabulary.Unk] = true;
        return torch.tensor(banned, device: device);
    }
}

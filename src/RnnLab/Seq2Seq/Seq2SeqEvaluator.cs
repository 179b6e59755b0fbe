using RnnLab.Configuration;
using RnnLab.Data;

namespace RnnLab.Seq2Seq;

/// <summary>The outputs of one decoding of a split, and their figures against the references.</summary>
public sealed record DecodedSplit(string Method, TranslationMetrics Metrics, string[] Outputs);

/// <summary>Loss and decoded figures of a model on a split, without gradients or dropout.</summary>
public static class Seq2SeqEvaluator
{
    private const int GreedyBatch = 256;

    /// <summary>Mean teacher-forced cross-entropy per target character (&lt;eos&gt; included), over the
    /// first <paramref name="maxBatches"/> batches (0: all).</summary>
    public static double Loss(Seq2SeqModel model, PairBatches pairs, CancellationToken cancel = default,
        int maxBatches = 0)
    {
        var wasTraining = model.training;
        model.eval();
        using var noGrad = torch.no_grad();
        double sum = 0;
        long characters = 0;
        var plan = pairs.Plan(0, seed: null);
        try
        {
            foreach (var indices in maxBatches > 0 ? plan.Take(maxBatches) : plan)
            {
                cancel.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                using var batch = pairs.Batch(indices);
                var logits = model.forward(batch); // (B, T, V)
                sum += nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), batch.Target.reshape(-1),
                    ignore_index: Vocabulary.Pad, reduction: nn.Reduction.Sum).to(ScalarType.Float64).item<double>();
                characters += batch.Target.ne(Vocabulary.Pad).sum().item<long>();
            }
        }
        finally
        {
            model.train(wasTraining); // a cancelled evaluation too
        }
        return sum / Math.Max(1, characters);
    }

    /// <summary>
    /// Decodes every source of <paramref name="pairs"/>: greedily (beam 1) in batches, or by beam search
    /// one at a time; <paramref name="progress"/> hears how many are done.
    /// </summary>
    public static DecodedSplit Decode(Seq2SeqModel model, IReadOnlyList<Pair> pairs, Vocabulary source,
        Vocabulary target, int beam, double lengthPenalty, int maxOutput, Action<int>? progress = null,
        CancellationToken cancel = default)
    {
        var wasTraining = model.training;
        model.eval();
        var encoded = pairs.Select(p => source.EncodeText(p.Source)).ToArray();
        var outputs = new string[pairs.Count];
        try
        {
            DecodeInto(outputs, model, encoded, target, beam, lengthPenalty, maxOutput, progress, cancel);
        }
        finally
        {
            model.train(wasTraining); // a cancelled decoding too
        }
        var metrics = TranslationMetrics.Compute(pairs.Select(p => p.Target).ToArray(), outputs);
        return new DecodedSplit(beam == 1 ? "greedy" : $"beam {beam}", metrics, outputs);
    }

    private static void DecodeInto(string[] outputs, Seq2SeqModel model, int[][] encoded, Vocabulary target,
        int beam, double lengthPenalty, int maxOutput, Action<int>? progress, CancellationToken cancel)
    {
        if (beam == 1)
        {
            for (var start = 0; start < encoded.Length; start += GreedyBatch)
            {
                cancel.ThrowIfCancellationRequested();
                var chunk = encoded[start..Math.Min(start + GreedyBatch, encoded.Length)];
                var decoded = Decoding.Greedy(model, chunk, maxOutput);
                for (var i = 0; i < chunk.Length; i++)
                {
                    outputs[start + i] = target.DecodeText(decoded[i].Ids);
                }
                progress?.Invoke(start + chunk.Length);
            }
        }
        else
        {
            for (var i = 0; i < encoded.Length; i++)
            {
                cancel.ThrowIfCancellationRequested();
                outputs[i] = target.DecodeText(Decoding.Beam(model, encoded[i], beam, lengthPenalty, maxOutput).Ids);
                progress?.Invoke(i + 1);
            }
        }
    }
}

using RnnLab.Configuration;
using RnnLab.Data;

namespace RnnLab.Seq2Seq;

/// <summary>
/// Corpus-level figures of outputs against references, each in [0, 1] (BLEU and chrF are usually
/// quoted ×100): character error rate (edit distance over reference characters, summed over the
/// corpus), exact match, BLEU-4 on space-separated words (Papineni et al. 2002: clipped n-gram
/// precisions for n = 1..4 summed over the corpus, their geometric mean, times the brevity penalty
/// exp(1 - r/c) when the outputs are shorter than the references; no smoothing, so a corpus without
/// a single matching 4-gram scores 0) and chrF (Popović 2015: character n-grams n = 1..6 without
/// spaces, precision and recall summed over the corpus and averaged over n, then F with β = 2).
/// </summary>
public sealed record TranslationMetrics(double CharacterErrorRate, double ExactMatch, double Bleu, double Chrf,
    int Count)
{
    public static TranslationMetrics Compute(IReadOnlyList<string> references, IReadOnlyList<string> outputs)
    {
        if (references.Count != outputs.Count)
        {
            throw new ArgumentException("one output per reference is needed", nameof(outputs));
        }
        long edits = 0, characters = 0;
        var exact = 0;
        for (var i = 0; i < references.Count; i++)
        {
            var (reference, output) = (CorpusReader.Scalars(references[i]), CorpusReader.Scalars(outputs[i]));
            edits += EditDistance(reference, output);
            characters += reference.Length;
            exact += references[i] == outputs[i] ? 1 : 0;
        }
        var count = references.Count;
        return new TranslationMetrics(characters == 0 ? 0 : (double)edits / characters,
            count == 0 ? 0 : (double)exact / count, CorpusBleu(references, outputs),
            CorpusChrf(references, outputs), count);
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions, each costing 1.</summary>
    public static int EditDistance(int[] a, int[] b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    public static double CorpusBleu(IReadOnlyList<string> references, IReadOnlyList<string> outputs, int order = 4)
    {
        var matches = new long[order];
        var totals = new long[order];
        long referenceLength = 0, outputLength = 0;
        for (var i = 0; i < references.Count; i++)
        {
            var reference = references[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var output = outputs[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            referenceLength += reference.Length;
            outputLength += output.Length;
            for (var n = 1; n <= order; n++)
            {
                var (matched, total) = Overlap(NGrams(reference, n), NGrams(output, n));
                matches[n - 1] += matched;
                totals[n - 1] += total;
            }
        }
        if (outputLength == 0 || matches.Any(m => m == 0))
        {
            return 0;
        }
        var logPrecision = Enumerable.Range(0, order).Average(n => Math.Log((double)matches[n] / totals[n]));
        var brevity = outputLength < referenceLength ? 1 - (double)referenceLength / outputLength : 0;
        return Math.Exp(logPrecision + brevity);
    }

    public static double CorpusChrf(IReadOnlyList<string> references, IReadOnlyList<string> outputs, int order = 6,
        double beta = 2)
    {
        var matches = new long[order];
        var outputTotals = new long[order];
        var referenceTotals = new long[order];
        for (var i = 0; i < references.Count; i++)
        {
            var reference = Characters(references[i]);
            var output = Characters(outputs[i]);
            for (var n = 1; n <= order; n++)
            {
                var (matched, total) = Overlap(NGrams(reference, n), NGrams(output, n));
                matches[n - 1] += matched;
                outputTotals[n - 1] += total;
                referenceTotals[n - 1] += Math.Max(0, reference.Length - n + 1);
            }
        }

        // orders that no text is long enough for are left out of the averages
        var orders = Enumerable.Range(0, order).Where(n => outputTotals[n] > 0 && referenceTotals[n] > 0).ToArray();
        if (orders.Length == 0)
        {
            return 0;
        }
        var precision = orders.Average(n => (double)matches[n] / outputTotals[n]);
        var recall = orders.Average(n => (double)matches[n] / referenceTotals[n]);
        var b2 = beta * beta;
        return precision + recall == 0 ? 0 : (1 + b2) * precision * recall / (b2 * precision + recall);
    }

    // matches clipped by the reference's counts, and the output's n-gram count
    private static (long Matched, long Total) Overlap(Dictionary<string, int> reference, Dictionary<string, int> output)
    {
        long matched = 0, total = 0;
        foreach (var (gram, count) in output)
        {
            total += count;
            matched += Math.Min(count, reference.GetValueOrDefault(gram));
        }
        return (matched, total);
    }

    private static string[] Characters(string text) =>
        CorpusReader.Scalars(text).Where(s => !char.IsWhiteSpace((char)Math.Min(s, 0xFFFF)))
            .Select(char.ConvertFromUtf32).ToArray();

    private static Dictionary<string, int> NGrams(string[] tokens, int n)
    {
        var counts = new Dictionary<string, int>();
        for (var i = 0; i + n <= tokens.Length; i++)
        {
            var gram = string.Join('\u001f', tokens, i, n);
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }
        return counts;
    }

    public Dictionary<string, object?> ToRecord() => new()
    {
        ["cer"] = CharacterErrorRate, ["exact_match"] = ExactMatch, ["bleu"] = Bleu, ["chrf"] = Chrf,
        ["pairs"] = Count,
    };

    public string Format() => string.Create(CultureInfo.InvariantCulture,
        $"BLEU {100 * Bleu:F2} | chrF {100 * Chrf:F2} | CER {CharacterErrorRate:F4} | exact {ExactMatch:F4} | " +
        $"{Count:N0} pairs");
}

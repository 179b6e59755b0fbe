using RnnLab.Data;

namespace RnnLab.Classification;

/// <summary>One item's classes, most likely first.</summary>
public sealed record Prediction(string Text, IReadOnlyList<(string Class, double Probability)> Top);

/// <summary>
/// Class probabilities for texts under a trained classifier. Characters the model never saw are
/// read as &lt;unk&gt; (<see cref="UnknownCharacters"/> lists them so a front end can say so).
/// Results come back in the order given, whatever the batching.
/// </summary>
public sealed class ClassifierPredictor(ClassifierCheckpoint checkpoint, Device device) : IDisposable
{
    private const int BatchSize = 512;

    private readonly SequenceClassifier model = checkpoint.CreateModel(device);
    private readonly Vocabulary vocabulary = checkpoint.Vocabulary;

    public IReadOnlyList<string> Classes => checkpoint.Manifest.Classes;

    /// <summary>The distinct characters of <paramref name="text"/> that the model's vocabulary lacks.</summary>
    public IReadOnlyList<string> UnknownCharacters(string text) => vocabulary.Missing(text);

    /// <summary>Probabilities (one row per text, K columns) in the order of <paramref name="texts"/>.</summary>
    public float[][] Probabilities(IReadOnlyList<string> texts)
    {
        var encoded = texts.Select((text, i) =>
        {
            var ids = vocabulary.EncodeText(text.Trim());
            return ids.Length > 0
                ? ids
                : throw new RnnLabException($"item {i + 1} is empty; give at least one character to classify");
        }).ToArray();
        var result = new float[texts.Count][];
        using var noGrad = torch.no_grad();
        for (var start = 0; start < encoded.Length; start += BatchSize)
        {
            using var scope = torch.NewDisposeScope();
            var chunk = encoded[start..Math.Min(start + BatchSize, encoded.Length)];
            var (ids, lengths) = ItemBatches.Pad(chunk, device);
            var probabilities = model.forward(ids, lengths).softmax(1).cpu(); // (B, K)
            var flat = probabilities.data<float>().ToArray();
            var k = Classes.Count;
            for (var row = 0; row < chunk.Length; row++)
            {
                result[start + row] = flat.AsSpan(row * k, k).ToArray();
            }
        }
        return result;
    }

    /// <summary>The <paramref name="top"/> most likely classes of each text.</summary>
    public IReadOnlyList<Prediction> Predict(IReadOnlyList<string> texts, int top)
    {
        var probabilities = Probabilities(texts);
        return texts.Select((text, i) => new Prediction(text, probabilities[i]
            .Select((p, c) => (Classes[c], (double)p))
            .OrderByDescending(pair => pair.Item2)
            .Take(top)
            .ToArray())).ToArray();
    }

    public void Dispose() => model.Dispose();
}

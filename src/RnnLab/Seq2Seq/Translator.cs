using RnnLab.Configuration;
using RnnLab.Data;

namespace RnnLab.Seq2Seq;

/// <summary>One translated text: what went in after normalisation, what came out, and how sure.</summary>
public sealed record Translation(string Input, string Source, string Output, double LogProbability,
    IReadOnlyList<string> SourceCharacters, IReadOnlyList<string> OutputCharacters, float[][]? Attention);

/// <summary>
/// Runs a trained encoder-decoder on texts: each is normalised as the training pairs were, then
/// decoded greedily (beam 1) or by beam search. Characters the model never saw are read as &lt;unk&gt;.
/// </summary>
public sealed class Translator(Seq2SeqCheckpoint checkpoint, Device device) : IDisposable
{
    private readonly Seq2SeqModel model = checkpoint.CreateModel(device);

    public Vocabulary Source { get; } = checkpoint.SourceVocabulary;

    public Vocabulary Target { get; } = checkpoint.TargetVocabulary;

    public Seq2SeqManifest Manifest => checkpoint.Manifest;

    /// <summary>The text as the model reads it (normalised as its training data was).</summary>
    public string Normalize(string text) => TextNormalizer.Apply(text, Manifest.Config.Data.Normalization);

    public Translation Translate(string text, int beam, double lengthPenalty, int? maxOutput = null)
    {
        var source = Normalize(text);
        var ids = Source.EncodeText(source);
        if (ids.Length == 0)
        {
            throw new RnnLabException($"'{text}' is empty after normalisation; give at least one character");
        }
        var limit = maxOutput ?? Manifest.MaxOutput;
        var decoded = beam == 1
            ? Decoding.Greedy(model, [ids], limit, withAttention: true)[0]
            : Decoding.Beam(model, ids, beam, lengthPenalty, limit, withAttention: true);
        var outputCharacters = decoded.Ids.Select(Target.Decode).ToList();
        if (decoded.Ended)
        {
            outputCharacters.Add("<eos>");
        }
        return new Translation(text, source, Target.DecodeText(decoded.Ids), decoded.LogProbability,
            CorpusReader.Scalars(source).Select(char.ConvertFromUtf32).ToArray(), outputCharacters, decoded.Attention);
    }

    public void Dispose() => model.Dispose();
}

using System.Text.Json;
using RnnLab.Checkpoints;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Training;

namespace RnnLab.Seq2Seq;

/// <summary>The JSON part of a sequence-to-sequence checkpoint.</summary>
public sealed record Seq2SeqManifest
{
    public const int CurrentVersion = 1;

    public string Format { get; init; } = CheckpointArchive.Seq2SeqFormat;

    public int Version { get; init; } = CurrentVersion;

    public DateTimeOffset Created { get; init; }

    public Seq2SeqConfig Config { get; init; } = new();

    /// <summary>The source vocabulary's characters in id order, after the special tokens.</summary>
    public IReadOnlyList<string> SourceVocabulary { get; init; } = [];

    public IReadOnlyList<string> TargetVocabulary { get; init; } = [];

    /// <summary>The longest output decoded, in characters.</summary>
    public int MaxOutput { get; init; }

    public string DataHash { get; init; } = "";

    public int Epoch { get; init; }

    public long Step { get; init; }

    public double? ValidationLoss { get; init; }

    public Dictionary<string, string> Entries { get; init; } = [];
}

/// <summary>A trained encoder-decoder: the zip format of every RnnLab checkpoint, its own manifest.</summary>
public sealed class Seq2SeqCheckpoint
{
    private readonly byte[] weights;

    private Seq2SeqCheckpoint(Seq2SeqManifest manifest, byte[] weights, string path)
    {
        Manifest = manifest;
        this.weights = weights;
        Path = path;
    }

    public Seq2SeqManifest Manifest { get; }

    public string Path { get; }

    public Vocabulary SourceVocabulary => Vocabulary.FromCharacters(Manifest.SourceVocabulary);

    public Vocabulary TargetVocabulary => Vocabulary.FromCharacters(Manifest.TargetVocabulary);

    public static void Save(string path, Seq2SeqManifest manifest, byte[] modelBytes) =>
        CheckpointArchive.Save(path,
            hashes => JsonSerializer.SerializeToUtf8Bytes(manifest with { Entries = hashes }, RunConfig.JsonOptions),
            new Dictionary<string, byte[]> { ["model.bin"] = modelBytes });

    public static Seq2SeqCheckpoint Load(string path)
    {
        var entries = CheckpointArchive.Read(path, CheckpointArchive.Seq2SeqFormat);
        var manifest = CheckpointArchive.Manifest<Seq2SeqManifest>(path, entries);
        if (manifest is null or { Config: null } or { SourceVocabulary: null } or { TargetVocabulary: null }
            or { Entries: null } or { Config: { Data: null } or { Model: null } or { Optim: null } or { Train: null } })
        {
            throw new RnnLabException($"{path} is corrupt: its manifest lacks required fields");
        }
        if (manifest.Version > Seq2SeqManifest.CurrentVersion)
        {
            throw new RnnLabException(
                $"{path} was written by a newer RnnLab (seq2seq version {manifest.Version}); upgrade to read it");
        }
        CheckpointArchive.Verify(path, manifest.Entries, entries);
        Vocabulary.FromCheckedCharacters(manifest.SourceVocabulary, path);
        Vocabulary.FromCheckedCharacters(manifest.TargetVocabulary, path);
        manifest.Config.Model.Validate();
        if (!entries.TryGetValue("model.bin", out var weights))
        {
            throw new RnnLabException($"{path} has no 'model.bin' entry");
        }
        return new Seq2SeqCheckpoint(manifest, weights, path);
    }

    /// <summary>The model with this checkpoint's weights, on <paramref name="device"/>, in eval mode.</summary>
    public Seq2SeqModel CreateModel(Device device)
    {
        var model = new Seq2SeqModel(Manifest.Config.Model, Vocabulary.Specials.Count + Manifest.SourceVocabulary.Count,
            Vocabulary.Specials.Count + Manifest.TargetVocabulary.Count);
        try
        {
            StateBytes.LoadCheckpointWeights(model, weights, Path);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model.to(device);
    }
}

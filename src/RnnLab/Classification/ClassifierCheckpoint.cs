using System.Text.Json;
using RnnLab.Checkpoints;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Training;

namespace RnnLab.Classification;

/// <summary>The JSON part of a classifier checkpoint.</summary>
public sealed record ClassifierManifest
{
    public const int CurrentVersion = 1;

    public string Format { get; init; } = CheckpointArchive.ClassifierFormat;

    public int Version { get; init; } = CurrentVersion;

    public DateTimeOffset Created { get; init; }

    public ClassifyConfig Config { get; init; } = new();

    /// <summary>The vocabulary's characters in id order, after the special tokens.</summary>
    public IReadOnlyList<string> Vocabulary { get; init; } = [];

    /// <summary>Class names in label order.</summary>
    public IReadOnlyList<string> Classes { get; init; } = [];

    public string DataHash { get; init; } = "";

    public int Epoch { get; init; }

    public long Step { get; init; }

    public double? ValidationLoss { get; init; }

    public double? ValidationAccuracy { get; init; }

    public double? ValidationMacroF1 { get; init; }

    public Dictionary<string, string> Entries { get; init; } = [];
}

/// <summary>A trained classifier: the same zip format as language-model checkpoints, its own manifest.</summary>
public sealed class ClassifierCheckpoint
{
    private readonly byte[] weights;

    private ClassifierCheckpoint(ClassifierManifest manifest, byte[] weights, string path)
    {
        Manifest = manifest;
        this.weights = weights;
        Path = path;
    }

    public ClassifierManifest Manifest { get; }

    public string Path { get; }

    public Vocabulary Vocabulary => Data.Vocabulary.FromCharacters(Manifest.Vocabulary);

    /// <summary>True when <paramref name="path"/> is a classifier checkpoint (not a language model's).</summary>
    public static bool Is(string path) => CheckpointArchive.FormatOf(path) == CheckpointArchive.ClassifierFormat;

    public static void Save(string path, ClassifierManifest manifest, byte[] modelBytes) =>
        CheckpointArchive.Save(path,
            hashes => JsonSerializer.SerializeToUtf8Bytes(manifest with { Entries = hashes }, RunConfig.JsonOptions),
            new Dictionary<string, byte[]> { ["model.bin"] = modelBytes });

    public static ClassifierCheckpoint Load(string path)
    {
        var entries = CheckpointArchive.Read(path, CheckpointArchive.ClassifierFormat);
        var manifest = CheckpointArchive.Manifest<ClassifierManifest>(path, entries);
        if (manifest is null or { Config: null } or { Vocabulary: null } or { Classes: null } or { Entries: null }
            or { Config: { Data: null } or { Model: null } or { Optim: null } or { Train: null } }
            || manifest.Classes.Any(string.IsNullOrEmpty))
        {
            throw new RnnLabException($"{path} is corrupt: its manifest lacks required fields");
        }
        if (manifest.Version > ClassifierManifest.CurrentVersion)
        {
            throw new RnnLabException(
                $"{path} was written by a newer RnnLab (classifier version {manifest.Version}); upgrade to read it");
        }
        CheckpointArchive.Verify(path, manifest.Entries, entries);
        Data.Vocabulary.FromCheckedCharacters(manifest.Vocabulary, path);
        manifest.Config.Model.Validate();
        if (!entries.TryGetValue("model.bin", out var weights))
        {
            throw new RnnLabException($"{path} has no 'model.bin' entry");
        }
        return new ClassifierCheckpoint(manifest, weights, path);
    }

    /// <summary>The classifier with this checkpoint's weights, on <paramref name="device"/>, in eval mode.</summary>
    public SequenceClassifier CreateModel(Device device)
    {
        var model = new SequenceClassifier(Manifest.Config.Model,
            Data.Vocabulary.Specials.Count + Manifest.Vocabulary.Count, Manifest.Classes.Count);
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

using System.Text.Json;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Models;
using RnnLab.Tracking;
using RnnLab.Training;

namespace RnnLab.Checkpoints;

/// <summary>
/// One self-describing file. Like PyTorch's own format it is a zip archive: <c>manifest.json</c>
/// (config, vocabulary, progress, schedule, hashes) and binary entries: <c>model.bin</c> (the state
/// dict), and for resuming <c>optimizer.bin</c>, <c>rng.bin</c> and <c>hidden.bin</c>. Tensors are
/// stored on the CPU, so any checkpoint loads on any device.
/// </summary>
public sealed class Checkpoint
{
    private const string ManifestEntry = "manifest.json";

    private Checkpoint(CheckpointManifest manifest, Dictionary<string, byte[]> entries, string path)
    {
        Manifest = manifest;
        Entries = entries;
        Path = path;
    }

    public CheckpointManifest Manifest { get; }

    public string Path { get; }

    internal Dictionary<string, byte[]> Entries { get; }

    public Vocabulary Vocabulary => Data.Vocabulary.FromCharacters(Manifest.Vocabulary);

    /// <summary>Writes atomically: a kill or full disk mid-save leaves the previous file whole.</summary>
    public static void Save(string path, CheckpointManifest manifest, IReadOnlyDictionary<string, byte[]> entries) =>
        CheckpointArchive.Save(path,
            hashes => JsonSerializer.SerializeToUtf8Bytes(manifest with { Entries = hashes }, RunConfig.JsonOptions),
            entries);

    /// <summary>Reads and checks a checkpoint; every problem is an <see cref="RnnLabException"/> saying what.</summary>
    public static Checkpoint Load(string path)
    {
        var entries = CheckpointArchive.Read(path, CheckpointArchive.LanguageModelFormat);
        return new Checkpoint(ReadManifest(path, entries), entries, path);
    }

    /// <summary>A model with this checkpoint's config and weights, on <paramref name="device"/>.</summary>
    public CharRnn CreateModel(Device device)
    {
        var model = new CharRnn(Manifest.Config.Model, Data.Vocabulary.Specials.Count + Manifest.Vocabulary.Count,
            Manifest.Classes?.Count ?? 0);
        try
        {
            LoadWeights(model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model.to(device);
    }

    public void LoadWeights(CharRnn model) => StateBytes.LoadCheckpointWeights(model, Entry("model.bin"), Path);

    public byte[] Entry(string name) => Entries.TryGetValue(name, out var bytes)
        ? bytes
        : throw new RnnLabException($"{Path} has no '{name}' entry; it cannot be used for this");

    public bool HasEntry(string name) => Entries.ContainsKey(name);

    private static CheckpointManifest ReadManifest(string path, Dictionary<string, byte[]> entries)
    {
        var manifest = CheckpointArchive.Manifest<CheckpointManifest>(path, entries);
        if (manifest is null or { Config: null } or { Vocabulary: null } or { Progress: null } or { Schedule: null }
            or { Entries: null } or { Config: { Data: null } or { Model: null } or { Optim: null } or { Train: null } }
            || manifest.Classes?.Any(string.IsNullOrEmpty) == true)
        {
            throw new RnnLabException($"{path} is corrupt: its manifest lacks required fields");
        }
        if (manifest.Version > CheckpointManifest.CurrentVersion)
        {
            throw new RnnLabException(
                $"{path} was written by a newer RnnLab (checkpoint version {manifest.Version}); upgrade to read it");
        }
        CheckpointArchive.Verify(path, manifest.Entries, entries);
        Data.Vocabulary.FromCheckedCharacters(manifest.Vocabulary, path);
        RunConfig.FromJson(JsonSerializer.Serialize(manifest.Config, RunConfig.JsonOptions), path).Validate();
        return manifest;
    }
}

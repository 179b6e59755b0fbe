using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Models;
using RnnLab.Tracking;

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
    public static void Save(string path, CheckpointManifest manifest, IReadOnlyDictionary<string, byte[]> entries)
    {
        var hashes = entries.ToDictionary(e => e.Key, e => Convert.ToHexStringLower(SHA256.HashData(e.Value)));
        var json = JsonSerializer.SerializeToUtf8Bytes(manifest with { Entries = hashes }, RunConfig.JsonOptions);
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            Add(zip, ManifestEntry, json);
            foreach (var (name, bytes) in entries)
            {
                Add(zip, name, bytes);
            }
        });
    }

    /// <summary>Reads and checks a checkpoint; every problem is an <see cref="RnnLabException"/> saying what.</summary>
    public static Checkpoint Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new RnnLabException($"checkpoint not found: {path}");
        }
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 4 || bytes[0] != 'P' || bytes[1] != 'K')
        {
            throw new RnnLabException(
                $"{path} is not an RnnLab checkpoint (it is not a zip archive; was it written by another tool?)");
        }
        var entries = new Dictionary<string, byte[]>();
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                entries[entry.FullName] = buffer.ToArray();
            }
        }
        catch (InvalidDataException e)
        {
            throw new RnnLabException(
                $"{path} is truncated or corrupt ({e.Message}); use another checkpoint, e.g. the run's best.ckpt");
        }
        return new Checkpoint(ReadManifest(path, entries), entries, path);
    }

    /// <summary>A model with this checkpoint's config and weights, on <paramref name="device"/>.</summary>
    public CharRnn CreateModel(Device device)
    {
        var model = new CharRnn(Manifest.Config.Model, Data.Vocabulary.Specials.Count + Manifest.Vocabulary.Count);
        LoadWeights(model);
        return model.to(device);
    }

    public void LoadWeights(CharRnn model)
    {
        using var reader = new BinaryReader(new MemoryStream(Entry("model.bin")));
        try
        {
            model.load(reader, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException)
        {
            throw new RnnLabException($"{Path}: the weights do not match the model config ({e.Message})");
        }
    }

    public byte[] Entry(string name) => Entries.TryGetValue(name, out var bytes)
        ? bytes
        : throw new RnnLabException($"{Path} has no '{name}' entry; it cannot be used for this");

    public bool HasEntry(string name) => Entries.ContainsKey(name);

    private static CheckpointManifest ReadManifest(string path, Dictionary<string, byte[]> entries)
    {
        if (!entries.TryGetValue(ManifestEntry, out var json))
        {
            throw new RnnLabException($"{path} is a zip archive but not an RnnLab checkpoint (no {ManifestEntry})");
        }
        CheckpointManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CheckpointManifest>(json, RunConfig.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new RnnLabException($"{path}: its manifest is not valid ({e.Message})");
        }
        if (manifest is { Config: null } or { Vocabulary: null } or { Progress: null } or { Schedule: null }
            or { Entries: null })
        {
            throw new RnnLabException($"{path} is corrupt: its manifest lacks required fields");
        }
        if (manifest is null || manifest.Format != CheckpointManifest.FormatName)
        {
            throw new RnnLabException($"{path} is not an RnnLab checkpoint (format '{manifest?.Format}')");
        }
        if (manifest.Version > CheckpointManifest.CurrentVersion)
        {
            throw new RnnLabException(
                $"{path} was written by a newer RnnLab (checkpoint version {manifest.Version}); upgrade to read it");
        }
        foreach (var (name, hash) in manifest.Entries)
        {
            if (!entries.TryGetValue(name, out var bytes) || Convert.ToHexStringLower(SHA256.HashData(bytes)) != hash)
            {
                throw new RnnLabException($"{path} is corrupt: entry '{name}' is missing or fails its checksum");
            }
        }
        RunConfig.FromJson(JsonSerializer.Serialize(manifest.Config, RunConfig.JsonOptions), path).Validate();
        return manifest;
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        using var stream = entry.Open();
        stream.Write(bytes);
    }
}

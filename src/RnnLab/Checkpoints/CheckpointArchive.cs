using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using RnnLab.Configuration;
using RnnLab.Tracking;

namespace RnnLab.Checkpoints;

/// <summary>
/// The file format under every RnnLab checkpoint: a zip archive of <c>manifest.json</c> and binary
/// entries, with each entry's SHA-256 in the manifest, written atomically and checked on read.
/// </summary>
internal static class CheckpointArchive
{
    public const string ManifestEntry = "manifest.json";

    public const string LanguageModelFormat = "rnnlab-checkpoint";

    public const string ClassifierFormat = "rnnlab-classifier";

    public const string Seq2SeqFormat = "rnnlab-seq2seq";

    /// <summary>Writes atomically; <paramref name="manifest"/> gets the entries' hashes and returns the JSON.</summary>
    public static void Save(string path, Func<Dictionary<string, string>, byte[]> manifest,
        IReadOnlyDictionary<string, byte[]> entries)
    {
        var hashes = entries.ToDictionary(e => e.Key, e => Convert.ToHexStringLower(SHA256.HashData(e.Value)));
        var json = manifest(hashes);
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

    /// <summary>Every entry of the archive; a missing, foreign or broken file is an error that says which.</summary>
    public static Dictionary<string, byte[]> Read(string path, string expectedFormat)
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
        if (!entries.TryGetValue(ManifestEntry, out var json))
        {
            throw new RnnLabException($"{path} is a zip archive but not an RnnLab checkpoint (no {ManifestEntry})");
        }
        CheckFormat(path, json, expectedFormat);
        return entries;
    }

    /// <summary>The manifest's format name, or null when the file is not a readable checkpoint.</summary>
    public static string? FormatOf(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            using var stream = zip.GetEntry(ManifestEntry)?.Open();
            if (stream is null)
            {
                return null;
            }
            using var document = JsonDocument.Parse(stream);
            return document.RootElement.TryGetProperty("format", out var value)
                && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (Exception e)
            when (e is IOException or InvalidDataException or JsonException or UnauthorizedAccessException
                or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The manifest as <typeparamref name="T"/>; invalid JSON is an error that names the file.</summary>
    public static T? Manifest<T>(string path, IReadOnlyDictionary<string, byte[]> entries)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(entries[ManifestEntry], RunConfig.JsonOptions);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string holding half of a surrogate pair
            throw new RnnLabException($"{path}: its manifest is not valid ({e.Message})");
        }
    }

    /// <summary>Refuses entries that are missing or whose bytes do not match the manifest's hash.</summary>
    public static void Verify(string path, IReadOnlyDictionary<string, string> hashes,
        IReadOnlyDictionary<string, byte[]> entries)
    {
        foreach (var (name, hash) in hashes)
        {
            if (!entries.TryGetValue(name, out var bytes) || Convert.ToHexStringLower(SHA256.HashData(bytes)) != hash)
            {
                throw new RnnLabException($"{path} is corrupt: entry '{name}' is missing or fails its checksum");
            }
        }
    }

    // a language model passed where a classifier is wanted (or the reverse) gets a pointer to the
    // command that reads it
    private static void CheckFormat(string path, byte[] json, string expected)
    {
        string? format;
        try
        {
            using var document = JsonDocument.Parse(json);
            format = document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("format", out var value)
                && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new RnnLabException($"{path}: its manifest is not valid ({e.Message})");
        }
        if (format == expected)
        {
            return;
        }
        throw new RnnLabException(format switch
        {
            ClassifierFormat => $"{path} is a classifier checkpoint; use it with 'rnnlab classify predict' or " +
                "'rnnlab classify eval'",
            LanguageModelFormat when expected == Seq2SeqFormat => $"{path} is a language-model checkpoint, not a " +
                "sequence-to-sequence model; use it with 'rnnlab sample' (or 'rnnlab eval' and 'rnnlab score')",
            LanguageModelFormat => $"{path} is a language-model checkpoint, not a classifier; use it with " +
                "'rnnlab sample' (or 'rnnlab eval' and 'rnnlab score')",
            Seq2SeqFormat => $"{path} is a sequence-to-sequence checkpoint; use it with 'rnnlab seq2seq translate' " +
                "or 'rnnlab seq2seq attention'",
            _ => $"{path} is not an RnnLab checkpoint (format '{format}')",
        });
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        using var stream = entry.Open();
        stream.Write(bytes);
    }
}

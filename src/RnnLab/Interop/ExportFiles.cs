using System.Text.Json;
using RnnLab.Configuration;
using RnnLab.Data;

namespace RnnLab.Interop;

/// <summary>The weight formats of an export directory.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(KebabEnumConverter<ExportFormat>))]
public enum ExportFormat { Pytorch, Safetensors }

/// <summary>
/// config.json of an export directory: what network the weights belong to. Written by
/// <c>rnnlab export</c> and by <c>rnnlab_model.save</c> in Python; read by <c>rnnlab import</c>.
/// </summary>
public sealed record ExportConfig
{
    public const string FormatName = "rnnlab-export";

    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;

    public int Version { get; init; } = CurrentVersion;

    public ModelConfig? Model { get; init; }

    /// <summary>Class names in label order, for a model conditioned on a class; null otherwise.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>The whole run config when RnnLab wrote the export; a Python-written one has none.</summary>
    public RunConfig? Run { get; init; }
}

/// <summary>vocab.json of an export directory: every token in id order, the special tokens first.</summary>
public sealed record ExportVocabulary(IReadOnlyList<string> Tokens)
{
    public static ExportVocabulary Of(Vocabulary vocabulary) =>
        new([.. Vocabulary.Specials, .. vocabulary.Characters]);
}

/// <summary>File names of an export directory, and its JSON settings.</summary>
internal static class ExportFiles
{
    public const string Config = "config.json";
    public const string Vocab = "vocab.json";
    public const string PythonModule = "rnnlab_model.py";

    public static string Weights(ExportFormat format) =>
        format == ExportFormat.Pytorch ? "model.pt" : "model.safetensors";

    public static JsonSerializerOptions Json => RunConfig.JsonOptions;
}

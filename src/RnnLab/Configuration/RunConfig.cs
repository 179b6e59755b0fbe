using System.Text.Json;
using System.Text.Json.Serialization;

namespace RnnLab.Configuration;

/// <summary>Everything that defines a training run; saved as config.json in its folder.</summary>
public sealed record RunConfig
{
    public string Name { get; init; } = "";

    public DataConfig Data { get; init; } = new();

    public ModelConfig Model { get; init; } = new();

    public OptimConfig Optim { get; init; } = new();

    public TrainConfig Train { get; init; } = new();

    public ExposureConfig Exposure { get; init; } = new();

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // paths and names as typed
    };

    public void Validate()
    {
        ValidateName(Name);
        Data.Validate();
        Model.Validate();
        Optim.Validate();
        Train.Validate();
        Exposure.Validate();
        if (Exposure.Mode != Configuration.Exposure.Teacher
            && (Data.Mode != CorpusMode.Stream || Train.LossOn != LossOn.All))
        {
            // TODO: documents mode needs free running that stops at <eos> and masks padding (not built)
            throw new RnnLabException(
                $"--exposure {EnumNames.Name(Exposure.Mode)} needs --mode stream and --loss-on all");
        }
        if (Train.EosStateLoss > 0 && Data.Mode != CorpusMode.Documents)
        {
            throw new RnnLabException(
                "--eos-state-loss needs --mode documents: a stream of text has no <eos> to return to zero at");
        }
    }

    /// <summary>The name becomes part of a folder name, so it must be plain.</summary>
    public static void ValidateName(string name)
    {
        if (name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || name.StartsWith('.'))
        {
            throw new RnnLabException(
                $"--name '{name}' is not a plain name; use letters, digits, '-', '_' and '.' " +
                "(it becomes part of a folder name)");
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a config file; unknown keys and bad values are errors that name them.</summary>
    public static RunConfig FromJsonFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new RnnLabException($"config file not found: {path}");
        }
        return FromJson(File.ReadAllText(path), path);
    }

    public static RunConfig FromJson(string json, string source)
    {
        RunConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<RunConfig>(json, JsonOptions);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string holding half of a surrogate pair
            throw new RnnLabException($"{source}: not a valid RnnLab config: {e.Message}");
        }

        // JSON null for a section or the name would pass the deserializer as a null record
        var missing = new (string Key, object? Value)[]
        {
            ("name", config?.Name), ("data", config?.Data), ("model", config?.Model), ("optim", config?.Optim),
            ("train", config?.Train), ("exposure", config?.Exposure),
        }.Where(p => p.Value is null).Select(p => p.Key).ToList();
        if (config is null || missing.Count > 0 || config.Data.Path is null)
        {
            var what = config is null ? "the config is null" : $"null values for: {string.Join(", ", missing)}";
            throw new RnnLabException(
                $"{source}: not a valid RnnLab config: {what}; leave a key out to use its default");
        }
        return config;
    }
}

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

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public void Validate()
    {
        Data.Validate();
        Model.Validate();
        Optim.Validate();
        Train.Validate();
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
        try
        {
            return JsonSerializer.Deserialize<RunConfig>(json, JsonOptions)
                ?? throw new RnnLabException($"{source}: the config is empty (null)");
        }
        catch (JsonException e)
        {
            throw new RnnLabException($"{source}: not a valid RnnLab config: {e.Message}");
        }
    }
}

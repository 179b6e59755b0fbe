using System.Text.Json;
using RnnLab.Configuration;

namespace RnnLab.Tracking;

/// <summary>
/// Flattens a config.json into keys as they appear in the file, without their section:
/// <c>{"model": {"cell": "lstm"}}</c> gives <c>cell = lstm</c>. A key that a registry field already
/// uses keeps its section (<c>data.path</c>, <c>train.steps</c>; the top-level name is
/// <c>config.name</c>), so <c>path</c>, <c>steps</c> and <c>name</c> stay the run's own.
/// </summary>
public static class ConfigValues
{
    /// <summary>
    /// The keys of a language-model config, the optional ones included, in the file's order: known
    /// before any run is indexed, so a filter on them is never refused for an empty registry.
    /// </summary>
    public static IReadOnlyList<string> DefaultKeys { get; } = Flatten(new RunConfig
    {
        Data = new DataConfig { Delimiter = "", CsvColumn = "", ValPath = "" },
    }.ToJson()).Select(v => v.Key).ToList();

    public static IReadOnlyList<ConfigValue> Flatten(string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = new List<ConfigValue>();
        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                Add(values, "config", property);
            }
        }

        // a hand-edited file may repeat a key in two sections; the first one is kept
        return values.DistinctBy(v => v.Key).ToList();
    }

    // a lone surrogate (\ud800) is valid JSON but no .NET string: kept as the file writes it
    private static string Text(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return value.GetRawText();
        }
    }

    private static void Add(List<ConfigValue> values, string section, JsonProperty property)
    {
        var value = property.Value;
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var child in value.EnumerateObject())
            {
                Add(values, property.Name, child);
            }
            return;
        }
        var key = RegistryKeys.IsField(property.Name) ? $"{section}.{property.Name}" : property.Name;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return;
            case JsonValueKind.Number:
                values.Add(new ConfigValue(key, value.GetRawText(), value.TryGetDouble(out var x) ? x : null));
                return;
            case JsonValueKind.String:
                values.Add(new ConfigValue(key, Text(value), null));
                return;
            default:
                values.Add(new ConfigValue(key, value.GetRawText(), null)); // true, false, arrays as JSON
                return;
        }
    }
}

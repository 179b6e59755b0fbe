using System.Text.Json;
using System.Text.Json.Nodes;

namespace RnnLab.Reports;

/// <summary>A config key whose value is not the same everywhere: its value in each config (null: absent).</summary>
public sealed record ConfigRow(string Key, IReadOnlyList<string?> Values);

/// <summary>
/// What differs between run configs. Configs are compared as flat dotted keys ("model.cell",
/// "optim.learning-rate") with their JSON text as values, so a key added by a newer RnnLab, or one
/// this version does not know, is compared like any other.
/// </summary>
public static class ConfigDiff
{
    /// <summary>Keys that never make two runs different experiments: the run's name and its seed.</summary>
    public static IReadOnlySet<string> NameAndSeed { get; } = new HashSet<string>(["name", "train.seed"]);

    /// <summary>
    /// {"model": {"cell": "lstm"}} as "model.cell" = "lstm"; numbers and arrays keep their JSON text.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Flatten(JsonObject root)
    {
        var flat = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        Add(flat, "", root);
        return flat;
    }

    /// <summary>The keys whose values differ between configs, in the order they first appear.</summary>
    public static IReadOnlyList<ConfigRow> Differences(
        IReadOnlyList<IReadOnlyDictionary<string, string>> configs,
        IReadOnlySet<string>? ignore = null)
    {
        ArgumentNullException.ThrowIfNull(configs);
        return configs.SelectMany(c => c.Keys).Distinct(StringComparer.Ordinal)
            .Where(key => ignore is null || !ignore.Contains(key))
            .Select(key => new ConfigRow(key, configs.Select(c => c.GetValueOrDefault(key)).ToList()))
            .Where(row => row.Values.Distinct(StringComparer.Ordinal).Skip(1).Any())
            .ToList();
    }

    /// <summary>
    /// A text equal for two configs exactly when they agree on every key but the ignored ones; the
    /// order keys were written in does not matter.
    /// </summary>
    public static string Identity(IReadOnlyDictionary<string, string> config, IReadOnlySet<string> ignore) =>
        string.Join("\n", config.Where(p => !ignore.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));

    /// <summary>One config standing for several: each key's distinct values joined by " | ".</summary>
    public static IReadOnlyDictionary<string, string> Merge(IReadOnlyList<IReadOnlyDictionary<string, string>> configs)
    {
        var merged = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in configs.SelectMany(c => c.Keys).Distinct(StringComparer.Ordinal))
        {
            merged[key] = string.Join(" | ", configs.Select(c => c.GetValueOrDefault(key) ?? "(absent)")
                .Distinct(StringComparer.Ordinal));
        }
        return merged;
    }

    private static void Add(OrderedDictionary<string, string> flat, string key, JsonNode? node)
    {
        if (node is JsonObject section && (section.Count > 0 || key.Length == 0))
        {
            foreach (var (name, child) in section)
            {
                Add(flat, key.Length == 0 ? name : $"{key}.{name}", child);
            }
            return;
        }
        flat[key] = node switch
        {
            null => "null",
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ => node.ToJsonString(),
        };
    }
}

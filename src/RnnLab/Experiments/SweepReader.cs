using System.Text.Json;

namespace RnnLab.Experiments;

/// <summary>Reads the parts of a sweep file, naming the JSON path of anything wrong.</summary>
/// <param name="knownFlags">Train's long flag names, each with whether it is a bare switch.</param>
internal sealed class SweepReader(string source, IReadOnlyDictionary<string, bool> knownFlags)
{
    private const int MaxMembers = 10_000;
    private const int MaxName = 100;

    public string Name(JsonElement root)
    {
        if (!root.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
            || name.GetString()!.Length == 0)
        {
            throw Error("name", "the sweep needs a name (a string): its runs go to <root>/<name>/");
        }
        return Plain(name.GetString()!, "name");
    }

    /// <summary>Refuses a key given twice in one object: JSON readers would keep one silently.</summary>
    public void Unique(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object
            && element.EnumerateObject().GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw Error(path, $"the key '{twice.Key}' is given twice; keep one");
        }
    }

    /// <summary>A variant that also sets a grid key would make grid members that differ in name only.</summary>
    public void Overlap(List<Flag> gridCell, List<(string? Name, List<Flag> Flags)> variants)
    {
        for (var i = 0; i < variants.Count; i++)
        {
            if (variants[i].Flags.FirstOrDefault(f => gridCell.Any(g => g.Key == f.Key)) is { } both)
            {
                throw Error($"variants[{i}].{both.Key}", $"'{both.Key}' is also in the grid, so every grid value " +
                    "would be overridden; set it in one place");
            }
        }
    }

    public void Size(long members)
    {
        if (members > MaxMembers)
        {
            throw Error("the file", $"{members} members (grid x variants x seeds); more than {MaxMembers} is surely " +
                "a mistake: use fewer values or seeds, or split the sweep");
        }
    }

    public List<Flag> Flags(JsonElement element, string path, bool allowName = false)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, "expected an object of train flags, e.g. { \"cell\": \"gru\", \"layers\": 2 }");
        }
        Unique(element, path);
        var flags = new List<Flag>();
        foreach (var property in element.EnumerateObject())
        {
            if (allowName && property.Name == "name")
            {
                continue;
            }
            var key = Key(property.Name, $"{path}.{property.Name}");
            flags.Add(new Flag(key, Value(key, property.Value, $"{path}.{property.Name}")));
        }
        return flags;
    }

    public List<List<Flag>> Grid(JsonElement grid)
    {
        if (grid.ValueKind != JsonValueKind.Object)
        {
            throw Error("grid", "expected an object of flag: [values], e.g. { \"cell\": [\"lstm\", \"gru\"] }");
        }
        Unique(grid, "grid");
        List<List<Flag>> cells = [[]];
        foreach (var property in grid.EnumerateObject())
        {
            var path = $"grid.{property.Name}";
            var key = Key(property.Name, path);
            if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() == 0)
            {
                throw Error(path, "expected a non-empty array of values");
            }
            var values = property.Value.EnumerateArray().Select((v, i) => Value(key, v, $"{path}[{i}]")).ToList();
            cells = [.. cells.SelectMany(cell => values.Select(value => (List<Flag>)[.. cell, new Flag(key, value)]))];
            Size(cells.Count);
        }
        return cells;
    }

    public List<(string? Name, List<Flag> Flags)> Variants(JsonElement variants)
    {
        if (variants.ValueKind != JsonValueKind.Array || variants.GetArrayLength() == 0)
        {
            throw Error("variants", "expected a non-empty array of objects of train flags ({} for the base alone)");
        }
        var list = new List<(string?, List<Flag>)>();
        var index = 0;
        foreach (var variant in variants.EnumerateArray())
        {
            var path = $"variants[{index++}]";
            string? name = null;
            if (variant.ValueKind == JsonValueKind.Object && variant.TryGetProperty("name", out var n))
            {
                name = n.ValueKind == JsonValueKind.String && n.GetString()!.Length > 0
                    ? Plain(n.GetString()!, $"{path}.name")
                    : throw Error($"{path}.name", "a variant's name is a non-empty string");
            }
            list.Add((name, Flags(variant, path, allowName: true)));
        }
        return list;
    }

    public int[] Seeds(JsonElement seeds)
    {
        if (seeds.ValueKind == JsonValueKind.Number)
        {
            return seeds.TryGetInt32(out var count) && count is >= 1 and <= 100
                ? Enumerable.Range(1, count).ToArray()
                : throw Error("seeds", $"a count of seeds is 1 to 100 (got {seeds.GetRawText()})");
        }
        if (seeds.ValueKind != JsonValueKind.Array || seeds.GetArrayLength() == 0)
        {
            throw Error("seeds", "expected a count (3 runs seeds 1, 2, 3) or a non-empty array of seeds");
        }
        var list = seeds.EnumerateArray().Select((s, i) => s.TryGetInt32(out var seed) && seed >= 0
            ? seed
            : throw Error($"seeds[{i}]", $"a seed is a whole number >= 0 (got {s.GetRawText()})")).ToArray();
        return list.Distinct().Count() == list.Length
            ? list
            : throw Error("seeds", "a seed is listed twice: its runs would be the same run");
    }

    // names become folder names and --name values: plain ASCII, not starting with '-' or '.'
    private string Plain(string name, string path)
    {
        if (name.Length > MaxName)
        {
            throw Error(path, $"a name of {name.Length} characters is too long for a folder; keep it under {MaxName}");
        }
        if (name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || name[0] is '-' or '.')
        {
            throw Error(path, $"'{name}' is not a plain name; use letters, digits, '-', '_' and '.', starting with " +
                "a letter or digit");
        }
        return name;
    }

    private string Key(string key, string path)
    {
        if (SweepSpec.Reserved.Contains(key))
        {
            throw Error(path, key == "seed"
                ? "the sweep sets --seed itself: list seeds under \"seeds\""
                : $"the sweep sets --{key} itself for every member; leave it out");
        }
        if (!knownFlags.ContainsKey(key))
        {
            var close = knownFlags.Keys.Where(k => !SweepSpec.Reserved.Contains(k))
                .OrderBy(k => Edits(k, key)).First();
            throw Error(path, $"'{key}' is not a flag of rnnlab train" +
                (Edits(close, key) <= 2 ? $" (did you mean '{close}'?)" : "; see rnnlab train --help"));
        }
        return key;
    }

    private string? Value(string key, JsonElement value, string path)
    {
        var isSwitch = knownFlags[key];
        return value.ValueKind switch
        {
            JsonValueKind.True or JsonValueKind.False when !isSwitch =>
                throw Error(path, $"--{key} takes a value, not {value.GetRawText()}; true and false are for " +
                    "switches such as \"nesterov\""),
            JsonValueKind.String or JsonValueKind.Number when isSwitch =>
                throw Error(path, $"--{key} is a switch: give true or false, not {value.GetRawText()}"),
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => null,
            JsonValueKind.False => Flag.Off,
            _ => throw Error(path, $"a flag's value is a string, a number or true/false (got {value.GetRawText()})"),
        };
    }

    private RnnLabException Error(string path, string message) => new($"{source}: {path}: {message}");

    private static int Edits(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return row[b.Length];
    }
}

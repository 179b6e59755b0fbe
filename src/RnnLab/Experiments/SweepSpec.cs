using System.Text.Json;

namespace RnnLab.Experiments;

/// <summary>One planned member of a sweep: its group (the settings it tests), its seed and its flags.</summary>
/// <param name="Name">Unique in the sweep: "cell=gru seed 2".</param>
/// <param name="Group">The settings without the seed: "cell=gru" ("base" for the base alone).</param>
/// <param name="Path">Its run folder, relative to the sweep folder: "cell-gru_s2".</param>
/// <param name="Args">The <c>rnnlab train</c> flags of this member, base first, without --out.</param>
public sealed record SweepMember(string Name, string Group, int Seed, string Path, IReadOnlyList<string> Args);

/// <summary>
/// A sweep file: a base of <c>rnnlab train</c> flags, a grid (every combination of its values) and/or
/// a list of variants (each a set of flags), and seeds. Members are grid × variants × seeds.
/// <code>
/// { "name": "diary", "seeds": 3,
///   "base": { "data": "tweets.txt", "mode": "documents", "time-limit": "2m" },
///   "grid": { "cell": ["lstm", "gru"] },
///   "variants": [ {}, { "name": "sgd", "optimizer": "sgd", "lr": 0.5 } ] }
/// </code>
/// Keys are train flags without their dashes; true stands for a bare switch, false leaves it out.
/// </summary>
public sealed record SweepSpec(string Name, IReadOnlyList<SweepMember> Members, string Json)
{
    /// <summary>Flags the sweep sets itself for every member.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string> { "seed", "out", "resume", "name" };

    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Reads and expands a sweep file.</summary>
    /// <param name="knownFlags">Train's long flag names, each with whether it is a bare switch.</param>
    public static SweepSpec Parse(string json, string source, IReadOnlyDictionary<string, bool> knownFlags)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new RnnLabException($"{source}: not JSON: {e.Message}");
        }
        using (document)
        {
            try
            {
                return Expand(document, json, source, knownFlags);
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json reads a lone surrogate (\ud800) but cannot give it back as a string
                throw new RnnLabException($"{source}: a string holds half of a surrogate pair (such as \\ud800); " +
                    "write whole characters");
            }
        }
    }

    private static SweepSpec Expand(JsonDocument document, string json, string source,
        IReadOnlyDictionary<string, bool> knownFlags)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new RnnLabException($"{source}: a sweep file is a JSON object with name, base, grid, variants " +
                "and seeds");
        }
        var reader = new SweepReader(source, knownFlags);
        reader.Unique(root, "the file");
        var keys = root.EnumerateObject().Select(p => p.Name).ToList();
        if (keys.FirstOrDefault(k => k is not ("name" or "base" or "grid" or "variants" or "seeds")) is { } odd)
        {
            throw new RnnLabException($"{source}: unknown key '{odd}'; a sweep file has name, base, grid, " +
                "variants and seeds");
        }
        var name = reader.Name(root);
        var baseFlags = root.TryGetProperty("base", out var b) ? reader.Flags(b, "base") : [];
        var grid = root.TryGetProperty("grid", out var g) ? reader.Grid(g) : [[]];
        var variants = root.TryGetProperty("variants", out var v) ? reader.Variants(v) : [(null, [])];
        var seeds = root.TryGetProperty("seeds", out var s) ? reader.Seeds(s) : [1];
        reader.Overlap(grid[0], variants);
        reader.Size((long)grid.Count * variants.Count * seeds.Length);

        var members = new List<SweepMember>();
        foreach (var cell in grid)
        {
            foreach (var (variantName, variant) in variants)
            {
                var settings = cell.Concat(variant).ToList();
                var group = variantName is null
                    ? settings.Count == 0 ? "base" : string.Join(",", settings.Select(f => $"{f.Key}={f.Value}"))
                    : cell.Count == 0 ? variantName
                    : string.Join(",", cell.Select(f => $"{f.Key}={f.Value}")) + "," + variantName;
                var flags = Merge(baseFlags, settings);
                foreach (var seed in seeds)
                {
                    var args = flags
                        .SelectMany(f => f.Value is null ? [$"--{f.Key}"] : new[] { $"--{f.Key}", f.Value })
                        .Concat(["--seed", seed.ToString(CultureInfo.InvariantCulture)]).ToList();
                    members.Add(new SweepMember($"{group} seed {seed}", group, seed,
                        $"{FolderName(group)}_s{seed}", args));
                }
            }
        }
        if (members.GroupBy(m => m.Path).FirstOrDefault(p => p.Count() > 1) is { } clash)
        {
            throw new RnnLabException($"{source}: two members would share the folder {clash.Key} " +
                $"({string.Join(" and ", clash.Select(m => m.Name))}); give the variants distinct names");
        }
        return new SweepSpec(name, members, json);
    }

    // later flags replace earlier ones of the same key, so a variant overrides the base
    private static List<Flag> Merge(List<Flag> baseFlags, List<Flag> overrides)
    {
        var merged = baseFlags.Where(f => overrides.All(o => o.Key != f.Key)).ToList();
        merged.AddRange(overrides);
        return merged.Where(f => f.Value != Flag.Off).ToList();
    }

    // "cell=lstm,lr=0.5" becomes "cell-lstm_lr-0.5": a folder name on every file system, and never
    // one that starts with '-' or '.', which a command line or a directory listing would misread
    public static string FolderName(string group)
    {
        var chars = group.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : c == '=' ? '-' : '_');
        var name = new string(chars.ToArray()).TrimStart('.', '-', '_');
        return name.Length == 0 ? "run" : name.Length > 80 ? name[..80] : name;
    }
}

/// <summary>One train flag: <c>--Key Value</c>, or a bare switch when Value is null.</summary>
internal sealed record Flag(string Key, string? Value)
{
    /// <summary>The value that leaves a switch out (false in JSON).</summary>
    public const string Off = "\0off";
}

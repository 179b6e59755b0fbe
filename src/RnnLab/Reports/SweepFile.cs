using System.Text.Json;
using RnnLab.Tracking;

namespace RnnLab.Reports;

/// <summary>One run of a sweep: its name, the group of runs it repeats with other seeds, and its folder.</summary>
/// <param name="Path">The run folder, relative to the sweep's folder as sweep.json gives it.</param>
public sealed record SweepMember(string Name, string Group, long? Seed, string Path);

/// <summary>
/// A sweep's plan, as <c>rnnlab sweep</c> writes it to &lt;root&gt;/&lt;name&gt;/sweep.json. Only the
/// name and each run's name, group, seed and path are read; other keys are left to the sweep.
/// </summary>
public sealed record SweepFile(string Name, string Folder, IReadOnlyList<SweepMember> Runs)
{
    public const string FileName = "sweep.json";

    /// <summary>Reads &lt;root&gt;/&lt;name&gt;/sweep.json; a missing or malformed one is named with the fix.</summary>
    public static SweepFile Read(string root, string name)
    {
        var folder = System.IO.Path.Combine(root, name);
        var path = System.IO.Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new RnnLabException($"sweep file not found: {path}; run 'rnnlab sweep' first, or pass " +
                "--root with the folder that holds the sweep");
        }
        try
        {
            using var document = JsonDocument.Parse(RunFiles.ReadText(path));
            var top = document.RootElement;
            if (top.ValueKind != JsonValueKind.Object || !top.TryGetProperty("runs", out var runs)
                || runs.ValueKind != JsonValueKind.Array)
            {
                throw Malformed(path, "it has no \"runs\" list");
            }
            var members = runs.EnumerateArray().Select((run, i) => Member(run, i, path)).ToList();
            return new SweepFile(Text(top, "name") ?? name, folder, members);
        }
        catch (JsonException e)
        {
            throw Malformed(path, $"not JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            throw Malformed(path, e.Message); // half of a surrogate pair in a string
        }
    }

    /// <summary>A member's run folder.</summary>
    public string FolderOf(SweepMember member) => System.IO.Path.Combine(Folder, member.Path);

    private static SweepMember Member(JsonElement run, int index, string path)
    {
        var name = run.ValueKind == JsonValueKind.Object ? Text(run, "name") : null;
        var folder = run.ValueKind == JsonValueKind.Object ? Text(run, "path") : null;
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(folder))
        {
            throw Malformed(path, $"runs[{index}] needs a \"name\" and a \"path\"");
        }
        long? seed = run.TryGetProperty("seed", out var s) && s.ValueKind == JsonValueKind.Number
            && s.TryGetInt64(out var n) ? n : null;
        return new SweepMember(name, Text(run, "group") ?? name, seed, folder);
    }

    private static string? Text(JsonElement element, string key) =>
        element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static RnnLabException Malformed(string path, string what) =>
        new($"{path} is not a sweep file ({what}); write it with 'rnnlab sweep'");
}

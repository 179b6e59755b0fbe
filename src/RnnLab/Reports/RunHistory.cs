using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RnnLab.Tracking;

namespace RnnLab.Reports;

/// <summary>One log line of a run (a metrics.jsonl record of kind "train"); a classifier logs no speed.</summary>
public sealed record TrainPoint(long Step, double Loss, double? MsPerStep, double? CharsPerSecond);

/// <summary>One evaluation of a run (kind "eval").</summary>
public sealed record EvalPoint(long Step, double ValBpc);

/// <summary>
/// What a run folder says about how training went: config.json flattened to dotted keys,
/// metrics.jsonl, the samples of the last evaluation in samples.txt, and status.json. Read only;
/// a run that is still training can be read while it writes.
/// </summary>
public sealed partial record RunHistory
{
    public required string Path { get; init; }

    /// <summary>How the run is called in reports: its folder's name, or its name in a sweep.</summary>
    public required string Name { get; init; }

    /// <summary>config.json as dotted keys ("model.cell"); empty when <see cref="ConfigProblem"/> says why.</summary>
    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>();

    public string? ConfigProblem { get; init; }

    public IReadOnlyList<TrainPoint> Train { get; init; } = [];

    public IReadOnlyList<EvalPoint> Evals { get; init; } = [];

    /// <summary>The samples drawn at the last evaluation that drew any (documents mode draws several).</summary>
    public IReadOnlyList<string> LastSamples { get; init; } = [];

    public long? LastSampleStep { get; init; }

    public RunStatus? Status { get; init; }

    /// <summary>The seed: config.json's train.seed, or the one a sweep gives.</summary>
    public string? Seed { get; init; }

    /// <summary>Whether the run has logged anything yet: a run with no records cannot be compared.</summary>
    public bool HasMetrics => Train.Count + Evals.Count > 0;

    public double? BestValBpc => Evals.Count > 0 ? Evals.Min(e => e.ValBpc) : null;

    public double? FinalValBpc => Evals.Count > 0 ? Evals[^1].ValBpc : null;

    public long Steps => Math.Max(Math.Max(Train.Count > 0 ? Train.Max(t => t.Step) : 0,
        Evals.Count > 0 ? Evals.Max(e => e.Step) : 0), Status?.Step ?? 0);

    public double? CharsPerSecond => Train.Select(t => t.CharsPerSecond).OfType<double>().ToList() is
        { Count: > 0 } speeds ? speeds.Average() : null;

    /// <summary>
    /// Seconds of training: status.json's wall time from start to end (evaluations included), or the
    /// logged time per step summed over the steps when that is longer or the run has not ended.
    /// </summary>
    public double? TrainSeconds
    {
        get
        {
            // NOTE: status.json covers one invocation only; a resumed run's logged steps reach back
            // further, which is why the longer of the two wins
            var logged = Train.Count > 0 && Train.All(t => t.MsPerStep is not null)
                ? Train.Select((t, i) => t.MsPerStep!.Value * (t.Step - (i > 0 ? Train[i - 1].Step : 0))).Sum() / 1000
                : (double?)null;
            var wall = Status is { Ended: { } ended } ? (ended - Status.Started).TotalSeconds : (double?)null;
            return wall is { } w && logged is { } l ? Math.Max(w, l) : wall ?? logged;
        }
    }

    /// <summary>Reads a run folder; refuses one that does not exist.</summary>
    public static RunHistory Read(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new RnnLabException($"run folder not found: {folder}");
        }
        var (config, problem) = ReadConfig(System.IO.Path.Combine(folder, "config.json"));
        var (train, evals) = ReadMetrics(System.IO.Path.Combine(folder, "metrics.jsonl"));
        var (step, samples) = ReadLastSamples(System.IO.Path.Combine(folder, "samples.txt"));
        var name = System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(
            System.IO.Path.GetFullPath(folder)));
        return new RunHistory
        {
            Path = folder, Name = name, Config = config, ConfigProblem = problem, Train = train, Evals = evals,
            LastSamples = samples, LastSampleStep = step, Status = RunStatus.Read(folder),
            Seed = config.GetValueOrDefault("train.seed"),
        };
    }

    private static (IReadOnlyDictionary<string, string>, string?) ReadConfig(string path)
    {
        if (!File.Exists(path))
        {
            return (new Dictionary<string, string>(), "config.json is missing");
        }
        try
        {
            return JsonNode.Parse(RunFiles.ReadText(path)) is JsonObject root
                ? (ConfigDiff.Flatten(root), null)
                : (new Dictionary<string, string>(), "config.json is not a JSON object");
        }
        catch (JsonException e)
        {
            return (new Dictionary<string, string>(), $"config.json is not JSON: {e.Message}");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // a key given twice, or half of a surrogate pair in a string
            return (new Dictionary<string, string>(), $"config.json cannot be read: {e.Message}");
        }
    }

    private static (List<TrainPoint>, List<EvalPoint>) ReadMetrics(string path)
    {
        var train = new List<TrainPoint>();
        var evals = new List<EvalPoint>();
        if (!File.Exists(path))
        {
            return (train, evals);
        }
        foreach (var line in RunFiles.ReadLines(path))
        {
            using var record = Parse(line);
            if (record?.RootElement is not { ValueKind: JsonValueKind.Object } root
                || Number(root, "step") is not { } step)
            {
                continue; // a line torn by a kill, or not a record
            }
            var kind = root.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String
                ? k.GetString()
                : null;

            // non-finite values (a diverged step, logged as "NaN") would bend every curve and mean
            if (kind == "train" && Number(root, "loss") is { } loss)
            {
                train.Add(new TrainPoint((long)step, loss, Number(root, "ms_per_step"), Number(root, "char_per_s")));
            }
            // TODO: a classifier's evaluations (val_accuracy, val_macro_f1) are skipped: the report's
            // columns are a language model's, and classifiers need their own (not asked for yet)
            else if (kind == "eval" && Number(root, "val_bpc") is { } bpc)
            {
                evals.Add(new EvalPoint((long)step, bpc));
            }
        }
        return (train, evals);
    }

    private static JsonDocument? Parse(string line)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static double? Number(JsonElement record, string key) =>
        record.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : null;

    // blocks of "--- step N ---\n<text>\n"; only the blocks of the last step are kept
    private static (long?, IReadOnlyList<string>) ReadLastSamples(string path)
    {
        if (!File.Exists(path))
        {
            return (null, []);
        }
        long? step = null;
        var blocks = new List<List<string>>();
        foreach (var line in RunFiles.ReadLines(path))
        {
            var header = SampleHeader().Match(line);
            if (header.Success && long.TryParse(header.Groups[1].Value, CultureInfo.InvariantCulture, out var at))
            {
                if (at != step)
                {
                    blocks.Clear();
                    step = at;
                }
                blocks.Add([]);
            }
            else if (blocks.Count > 0)
            {
                blocks[^1].Add(line);
            }
        }
        return (step, blocks.Select(lines => string.Join("\n", lines)).ToList());
    }

    [GeneratedRegex(@"^--- step (\d+) ---$", RegexOptions.CultureInvariant)]
    private static partial Regex SampleHeader();
}

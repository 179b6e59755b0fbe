using System.Text.Json;
using RnnLab.Tracking;

namespace RnnLab.Cli.Commands;

public sealed class RunsSettings : CommandSettings
{
    [CommandOption("--root <DIR>"), Description("The folder that holds the run folders (default runs)")]
    public string Root { get; init; } = "runs";

    [CommandOption("--where <KEY=VALUE>")]
    [Description("Only runs with this value, e.g. cell=lstm, sweep=diary, status=finished; repeat to AND them")]
    public string[] Where { get; init; } = [];

    [CommandOption("--sort <KEY>")]
    [Description("Order by best_val_bpc (or val_bpc), final_val_bpc, steps, started, or any config key")]
    public string? Sort { get; init; }

    [CommandOption("--desc"), Description("Sort in descending order")]
    public bool Descending { get; init; }

    [CommandOption("--limit <N>"), Description("Show only the first N runs")]
    public int? Limit { get; init; }

    [CommandOption("--json"), Description("Print a JSON array (every field and the whole config) instead of a table")]
    public bool Json { get; init; }

    [CommandOption("--reindex"), Description("Rebuild the registry from the run folders (after copying runs in)")]
    public bool Reindex { get; init; }

    public override ValidationResult Validate() => Limit is < 1
        ? ValidationResult.Error($"--limit must be 1 or more (got {Limit})")
        : ValidationResult.Success();
}

/// <summary>
/// <c>rnnlab runs</c>: lists the runs under a runs root from its registry, which is first brought in
/// line with the folders (or rebuilt with --reindex).
/// </summary>
public sealed class RunsCommand : Command<RunsSettings>
{
    public override int Execute(CommandContext context, RunsSettings settings, CancellationToken cancel)
    {
        var query = new RunQuery
        {
            Where = settings.Where.Select(RunQuery.Condition).ToList(),
            Sort = settings.Sort,
            Descending = settings.Descending,
            Limit = settings.Limit,
        };
        var runs = List(settings.Root, settings.Reindex, query);
        if (settings.Json)
        {
            WriteJson(runs);
        }
        else
        {
            WriteTable(runs);
        }
        return 0;
    }

    // a damaged registry (a disk that filled up, a copy cut short) never stops a listing: the folders
    // are the truth, so they are listed from memory, and --reindex sets the file aside and rebuilds it
    private static IReadOnlyList<RunSummary> List(string root, bool reindex, RunQuery query)
    {
        RunRegistry? registry = null;
        try
        {
            registry = Open(root);
            Update(registry, reindex || registry.Database == ":memory:");
            return registry.List(query);
        }
        catch (IOException e) when (e.InnerException is Microsoft.Data.Sqlite.SqliteException sqlite)
        {
            registry?.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var file = Path.Combine(root, RunRegistry.FileName);
            if (!reindex)
            {
                Console.Error.WriteLine($"note: {file} is damaged ({sqlite.Message.TrimEnd('.')}); listing from the " +
                    "run folders; 'rnnlab runs --reindex' rebuilds it");
                using var memory = RunRegistry.InMemory(root);
                Update(memory, rebuild: true);
                return memory.List(query);
            }
            var aside = $"{file}.damaged-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
            File.Move(file, aside);
            foreach (var journal in new[] { "-wal", "-shm" }.Select(s => file + s).Where(File.Exists))
            {
                File.Move(journal, aside + journal[file.Length..]);
            }
            Console.Error.WriteLine($"note: {file} was damaged; kept as {aside} and rebuilt from the run folders");
            using var fresh = Open(root);
            Update(fresh, rebuild: true);
            return fresh.List(query);
        }
        finally
        {
            registry?.Dispose();
        }
    }

    private static void Update(RunRegistry registry, bool rebuild)
    {
        if (rebuild)
        {
            registry.Reindex();
        }
        else
        {
            registry.Refresh();
        }
    }

    // a runs folder this user may read but not write is still listed, from an index in memory
    private static RunRegistry Open(string root)
    {
        try
        {
            return RunRegistry.Open(root);
        }
        catch (IOException e) when (e.InnerException is Microsoft.Data.Sqlite.SqliteException
            { SqliteErrorCode: 8 or 14 }) // SQLITE_READONLY, SQLITE_CANTOPEN
        {
            Console.Error.WriteLine($"note: cannot write {Path.Combine(root, RunRegistry.FileName)}; " +
                "listing from the run folders");
            return RunRegistry.InMemory(root);
        }
    }

    private static void WriteTable(IReadOnlyList<RunSummary> runs)
    {
        if (runs.Count == 0)
        {
            Console.WriteLine("no runs");
            return;
        }
        var table = new Table().Border(TableBorder.Minimal);
        string[] headers = ["name", "sweep", "status", "cell", "layers", "hidden", "optimizer", "seed", "steps",
            "best val bpc", "final val bpc", "ended (UTC)"];
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(header) { NoWrap = header != "name" });
        }
        foreach (var run in runs)
        {
            string[] cells =
            [
                run.Name, run.Sweep ?? "-", run.Status, Setting(run, "cell"), Setting(run, "layers"),
                Setting(run, "hidden"), Setting(run, "optimizer"), Setting(run, "seed"),
                run.Steps?.ToString(CultureInfo.InvariantCulture) ?? "-", Bpc(run.BestValBpc), Bpc(run.FinalValBpc),
                run.Ended?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-",
            ];
            table.AddRow(cells.Select(c => new Text(c)).ToArray());
        }
        table.Caption($"{runs.Count} run{(runs.Count == 1 ? "" : "s")}");

        // redirected output keeps every row on one line, however narrow the terminal it came from
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = Math.Max(console.Profile.Width, 240);
        }
        console.Write(table);
    }

    private static string Setting(RunSummary run, string key) => run.Setting(key)?.Text ?? "-";

    private static string Bpc(double? value) => value?.ToString("F3", CultureInfo.InvariantCulture) ?? "-";

    private static void WriteJson(IReadOnlyList<RunSummary> runs)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stdout, new JsonWriterOptions
        {
            Indented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // names as typed
        }))
        {
            json.WriteStartArray();
            foreach (var run in runs)
            {
                WriteRun(json, run);
            }
            json.WriteEndArray();
        }
        stdout.WriteByte((byte)'\n');
    }

    private static void WriteRun(Utf8JsonWriter json, RunSummary run)
    {
        json.WriteStartObject();
        json.WriteString("path", run.Path);
        json.WriteString("name", run.Name);
        json.WriteString("sweep", run.Sweep);
        json.WriteString("status", run.Status);
        json.WriteString("reason", run.Reason);
        json.WriteString("started", run.Started?.ToString("O", CultureInfo.InvariantCulture));
        json.WriteString("ended", run.Ended?.ToString("O", CultureInfo.InvariantCulture));
        Number(json, "steps", run.Steps);
        Number(json, "best_val_loss", run.BestValLoss);
        Number(json, "best_val_bpc", run.BestValBpc);
        Number(json, "final_val_loss", run.FinalValLoss);
        Number(json, "final_val_bpc", run.FinalValBpc);
        Number(json, "last_train_loss", run.LastTrainLoss);
        json.WritePropertyName("config");
        if (run.ConfigJson is { } config)
        {
            using var document = JsonDocument.Parse(config);
            if (Rewritable(document))
            {
                document.RootElement.WriteTo(json);
            }
            else
            {
                json.WriteRawValue(config); // as the file has it, without our indentation
            }
        }
        else
        {
            json.WriteNullValue();
        }
        json.WriteEndObject();
    }

    // a string escape that is no .NET string (a lone surrogate, \ud800) cannot be written again
    private static bool Rewritable(JsonDocument document)
    {
        try
        {
            using var probe = new Utf8JsonWriter(Stream.Null);
            document.RootElement.WriteTo(probe);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void Number(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}

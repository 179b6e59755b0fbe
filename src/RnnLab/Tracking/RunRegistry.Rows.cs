using System.Text;
using Microsoft.Data.Sqlite;

namespace RnnLab.Tracking;

// the registry's rows: written from a RunSummary, read back as one, selected by a RunQuery
public sealed partial class RunRegistry
{
    private const string Columns = "path, name, sweep, status, reason, started, ended, steps, best_val_loss, " +
        "best_val_bpc, final_val_loss, final_val_bpc, last_train_loss, config, config_mtime, config_size, " +
        "metrics_mtime, metrics_size, status_mtime, status_size";

    /// <summary>The runs that match <paramref name="query"/>, in its order, with their config values.</summary>
    public IReadOnlyList<RunSummary> List(RunQuery query)
    {
        var keys = ConfigKeys();
        var parameters = new List<(string, object?)>();
        var conditions = query.Where
            .Select((c, i) => Condition(RegistryKeys.Resolve(c.Key, keys, "--where"), c.Key, c.Value, i, parameters))
            .ToList();
        var sql = new StringBuilder($"SELECT {Columns} FROM runs");
        if (conditions.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", conditions);
        }
        var sort = query.Sort is { } key
            ? RegistryKeys.Resolve(key, keys, "--sort")
            : new RegistryKey("started", IsField: true, Numeric: false);
        var by = sort.IsField
            ? $"runs.{sort.Name}"
            : "(SELECT coalesce(c.number, c.value) FROM config c WHERE c.path = runs.path AND c.key = $sort)";
        parameters.Add(("$sort", sort.Name));
        sql.Append($" ORDER BY {by} IS NULL, {by} {(query.Descending ? "DESC" : "ASC")}, runs.path");
        if (query.Limit is { } limit)
        {
            sql.Append(" LIMIT $limit");
            parameters.Add(("$limit", limit));
        }
        return Guarded(Database, () => Read(sql.ToString(), parameters));
    }

    /// <summary>The config keys there are: a default config's, in its order, then those only runs have.</summary>
    public IReadOnlyList<string> ConfigKeys()
    {
        var stored = Guarded(Database, () =>
        {
            using var command = Command(connection, null, "SELECT DISTINCT key FROM config ORDER BY key", []);
            using var reader = command.ExecuteReader();
            var keys = new List<string>();
            while (reader.Read())
            {
                keys.Add(reader.GetString(0));
            }
            return keys;
        });
        return ConfigValues.DefaultKeys.Concat(stored.Except(ConfigValues.DefaultKeys)).ToList();
    }

    // one condition as SQL: numbers compare as numbers, text without case, an empty value means "absent"
    private static string Condition(RegistryKey key, string typed, string value, int index,
        List<(string, object?)> parameters)
    {
        var number = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            && double.IsFinite(x) ? x : (double?)null;
        parameters.Add(($"$v{index}", value));
        parameters.Add(($"$n{index}", number));
        parameters.Add(($"$k{index}", key.Name));
        if (key.IsField)
        {
            var column = $"runs.{key.Name}";
            return value.Length == 0 ? $"({column} IS NULL OR {column} = '')"
                : !key.Numeric ? $"{column} = $v{index} COLLATE NOCASE"
                : number is not null ? $"{column} = $n{index}"
                : throw new RnnLabException(
                    $"--where {typed}={value}: {key.Name} is a number; e.g. --where {key.Name}=1000");
        }
        const string Match = "SELECT 1 FROM config c WHERE c.path = runs.path AND c.key = ";
        return value.Length == 0
            ? $"NOT EXISTS ({Match}$k{index})"
            : $"EXISTS ({Match}$k{index} AND (c.number = $n{index} OR c.value = $v{index} COLLATE NOCASE))";
    }

    private List<RunSummary> Read(string sql, IEnumerable<(string, object?)> parameters)
    {
        var runs = new List<RunSummary>();
        using (var command = Command(connection, null, sql, parameters))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                runs.Add(Row(reader));
            }
        }

        // then each run's config values, in the file's order (the order they were inserted in)
        var config = new Dictionary<string, List<ConfigValue>>();
        const string Values = "SELECT path, key, value, number FROM config ORDER BY rowid";
        using (var command = Command(connection, null, Values, []))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var path = reader.GetString(0);
                var values = config.TryGetValue(path, out var list) ? list : config[path] = [];
                values.Add(new ConfigValue(reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetDouble(3)));
            }
        }
        return runs.Select(r => r with { Config = config.GetValueOrDefault(r.Path) ?? [] }).ToList();
    }

    private static RunSummary Row(SqliteDataReader row) => new()
    {
        Path = row.GetString(0),
        Name = row.GetString(1),
        Sweep = Text(row, 2),
        Status = row.GetString(3),
        Reason = Text(row, 4),
        Started = Time(row, 5),
        Ended = Time(row, 6),
        Steps = row.IsDBNull(7) ? null : row.GetInt64(7),
        BestValLoss = Real(row, 8),
        BestValBpc = Real(row, 9),
        FinalValLoss = Real(row, 10),
        FinalValBpc = Real(row, 11),
        LastTrainLoss = Real(row, 12),
        ConfigJson = Text(row, 13),
        ConfigStamp = Stamp(row, 14),
        MetricsStamp = Stamp(row, 16),
        StatusStamp = Stamp(row, 18),
    };

    private void Upsert(RunSummary run, SqliteTransaction transaction)
    {
        Execute(connection, transaction, $"INSERT OR REPLACE INTO runs ({Columns}) VALUES " +
            $"({string.Join(", ", Columns.Split(", ").Select(c => "$" + c))})",
            ("$path", run.Path), ("$name", run.Name), ("$sweep", run.Sweep), ("$status", run.Status),
            ("$reason", run.Reason), ("$started", Iso(run.Started)), ("$ended", Iso(run.Ended)), ("$steps", run.Steps),
            ("$best_val_loss", run.BestValLoss), ("$best_val_bpc", run.BestValBpc),
            ("$final_val_loss", run.FinalValLoss), ("$final_val_bpc", run.FinalValBpc),
            ("$last_train_loss", run.LastTrainLoss), ("$config", run.ConfigJson),
            ("$config_mtime", run.ConfigStamp?.Ticks), ("$config_size", run.ConfigStamp?.Size),
            ("$metrics_mtime", run.MetricsStamp?.Ticks), ("$metrics_size", run.MetricsStamp?.Size),
            ("$status_mtime", run.StatusStamp?.Ticks), ("$status_size", run.StatusStamp?.Size));
        Execute(connection, transaction, "DELETE FROM config WHERE path = $path", ("$path", run.Path));
        foreach (var value in run.Config)
        {
            Execute(connection, transaction, "INSERT INTO config (path, key, value, number) VALUES ($p, $k, $v, $n)",
                ("$p", run.Path), ("$k", value.Key), ("$v", value.Text), ("$n", value.Number));
        }
    }

    // what a refresh compares with the folder: the files' stamps, and whether it was running
    private Dictionary<string, Known> Stored()
    {
        using var command = Command(connection, null, $"SELECT {Columns} FROM runs", []);
        using var reader = command.ExecuteReader();
        var stored = new Dictionary<string, Known>();
        while (reader.Read())
        {
            var run = Row(reader);
            stored[run.Path] = new Known(run.Status, run.ConfigStamp, run.MetricsStamp, run.StatusStamp);
        }
        return stored;
    }

    private sealed record Known(string Status, FileStamp? Config, FileStamp? Metrics, FileStamp? StatusFile)
    {
        // a running run is read again even when its files are unchanged: it may have been killed
        public bool Changed(string folder) => Status == "running"
            || Config != FileStamp.Of(Path.Combine(folder, "config.json"))
            || Metrics != FileStamp.Of(Path.Combine(folder, "metrics.jsonl"))
            || StatusFile != FileStamp.Of(Path.Combine(folder, RunStatus.FileName));
    }

    // ISO 8601 in UTC: sorts as text in time order
    private static string? Iso(DateTime? time) =>
        time?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static string? Text(SqliteDataReader row, int i) => row.IsDBNull(i) ? null : row.GetString(i);

    private static double? Real(SqliteDataReader row, int i) => row.IsDBNull(i) ? null : row.GetDouble(i);

    private static DateTime? Time(SqliteDataReader row, int i) => row.IsDBNull(i)
        ? null
        : DateTime.Parse(row.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static FileStamp? Stamp(SqliteDataReader row, int i) =>
        row.IsDBNull(i) ? null : new FileStamp(row.GetInt64(i), row.IsDBNull(i + 1) ? 0 : row.GetInt64(i + 1));
}

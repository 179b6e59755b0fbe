using Microsoft.Data.Sqlite;

namespace RnnLab.Tracking;

/// <summary>What a refresh did: runs read for the first time, read again, and dropped.</summary>
public sealed record RefreshResult(int Added, int Updated, int Removed);

/// <summary>
/// An index of the run folders under a runs root in SQLite, <c>&lt;root&gt;/registry.db</c>, to list
/// and filter runs without opening every folder. It is never the truth, the folders are:
/// <see cref="Refresh"/> brings it in line with them (new folders added, changed ones read again,
/// gone ones dropped), <see cref="Reindex"/> rebuilds it, and deleting the file loses nothing.
/// Several training processes may write it at once (a parallel sweep), so it keeps a write-ahead
/// log, waits for a busy database rather than failing, and writes in short transactions that begin
/// only after the folders have been read.
/// </summary>
public sealed partial class RunRegistry : IDisposable
{
    public const string FileName = "registry.db";

    // "RnLb" in the file header: a registry.db of another program is refused, never rebuilt
    private const int ApplicationId = 0x526E4C62;
    private const int SchemaVersion = 1;
    private const int BusySeconds = 30;

    private readonly SqliteConnection connection;

    private RunRegistry(string root, SqliteConnection connection, string database)
    {
        Root = root;
        this.connection = connection;
        Database = database;
    }

    /// <summary>The runs root it indexes.</summary>
    public string Root { get; }

    /// <summary>The database file, or ":memory:".</summary>
    public string Database { get; }

    /// <summary>Opens the registry of <paramref name="root"/>, creating it when missing.</summary>
    public static RunRegistry Open(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new RnnLabException(
                $"runs folder not found: {root}; pass --root DIR, the folder that holds the runs");
        }
        var file = Path.Combine(root, FileName);
        return Guarded(file, () => Connect(root, file));
    }

    /// <summary>A registry held in memory only, for a runs root this process may not write to.</summary>
    public static RunRegistry InMemory(string root) => Guarded(":memory:", () => Connect(root, ":memory:"));

    private static RunRegistry Connect(string root, string file)
    {
        var text = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false, // no handle outlives the registry: the folder can be moved or deleted after
            DefaultTimeout = BusySeconds,
        }.ToString();
        var connection = new SqliteConnection(text);
        try
        {
            connection.Open();
            CheckOwner(connection, file);
            Scalar(connection, null, $"PRAGMA busy_timeout = {BusySeconds * 1000}");
            Scalar(connection, null, "PRAGMA journal_mode = WAL");
            Scalar(connection, null, "PRAGMA synchronous = NORMAL"); // a power cut may lose a row, not the file
            CreateSchema(connection);
            return new RunRegistry(root, connection, file);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // a database someone else made under this name is left alone; an empty file is a new registry
    private static void CheckOwner(SqliteConnection connection, string file)
    {
        try
        {
            var id = Convert.ToInt64(Scalar(connection, null, "PRAGMA application_id"), CultureInfo.InvariantCulture);
            var tables = Convert.ToInt64(Scalar(connection, null, "SELECT count(*) FROM sqlite_master"),
                CultureInfo.InvariantCulture);
            if (id == ApplicationId || tables == 0)
            {
                return;
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 26) // SQLITE_NOTADB
        {
        }
        throw new RnnLabException($"{file} is not an RnnLab run registry; move it away (RnnLab makes a new one) " +
            "or pass another --root");
    }

    private static void CreateSchema(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var version = Convert.ToInt64(Scalar(connection, transaction, "PRAGMA user_version"),
            CultureInfo.InvariantCulture);
        if (version == SchemaVersion)
        {
            return;
        }

        // an index of another schema version is rebuilt by the next refresh, not migrated
        Execute(connection, transaction, """
            DROP TABLE IF EXISTS config;
            DROP TABLE IF EXISTS runs;
            CREATE TABLE runs (
                path TEXT PRIMARY KEY, name TEXT NOT NULL, sweep TEXT, status TEXT NOT NULL, reason TEXT,
                started TEXT, ended TEXT, steps INTEGER,
                best_val_loss REAL, best_val_bpc REAL, final_val_loss REAL, final_val_bpc REAL, last_train_loss REAL,
                config TEXT,
                config_mtime INTEGER, config_size INTEGER, metrics_mtime INTEGER, metrics_size INTEGER,
                status_mtime INTEGER, status_size INTEGER);
            CREATE TABLE config (
                path TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, number REAL,
                PRIMARY KEY (path, key));
            CREATE INDEX config_key ON config (key, value);
            """);
        Scalar(connection, transaction, $"PRAGMA application_id = {ApplicationId}");
        Scalar(connection, transaction, $"PRAGMA user_version = {SchemaVersion}");
        transaction.Commit();
    }

    /// <summary>Adds new run folders, reads changed and running ones again, drops rows of folders gone.</summary>
    public RefreshResult Refresh() => Guarded(Database, () => Update(rebuild: false));

    /// <summary>Forgets everything and reads every run folder again (after copying folders in, say).</summary>
    public RefreshResult Reindex() => Guarded(Database, () => Update(rebuild: true));

    /// <summary>Reads one run folder under the root into the registry (a run starting or ending).</summary>
    public void Record(string runFolder)
    {
        var relative = Relative(runFolder);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new RnnLabException($"{runFolder} is not under the runs folder {Root}");
        }
        var run = RunSummary.Read(runFolder, relative);
        Guarded(Database, () =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            Upsert(run, transaction);
            transaction.Commit();
            return 0;
        });
    }

    private RefreshResult Update(bool rebuild)
    {
        // the folders are read before the transaction, which then only writes: writers wait briefly
        var stored = rebuild ? new Dictionary<string, Known>() : Stored();
        var found = RunScan.Find(Root).ToDictionary(f => Relative(f).Replace(Path.DirectorySeparatorChar, '/'));
        var read = found.Where(f => !stored.TryGetValue(f.Key, out var known) || known.Changed(f.Value))
            .Select(f => RunSummary.Read(f.Value, f.Key))
            .ToList();
        var gone = stored.Keys.Where(path => !found.ContainsKey(path)).ToList();
        using var transaction = connection.BeginTransaction(deferred: false);
        if (rebuild)
        {
            Execute(connection, transaction, "DELETE FROM config; DELETE FROM runs;");
        }
        var removed = 0;
        foreach (var path in gone.Where(p => !RunScan.IsRun(Path.Combine(Root, p)))) // not made meanwhile
        {
            Execute(connection, transaction,
                "DELETE FROM config WHERE path = $path; DELETE FROM runs WHERE path = $path;", ("$path", path));
            removed++;
        }
        foreach (var run in read)
        {
            Upsert(run, transaction);
        }
        transaction.Commit();
        var added = read.Count(r => !stored.ContainsKey(r.Path));
        return new RefreshResult(added, read.Count - added, removed);
    }

    /// <summary>
    /// Records a run that starts or ends, into the registry of its runs root: the nearest folder
    /// above it that holds registry.db, else <paramref name="defaultRoot"/> when the run is inside it.
    /// Best effort: a failure goes to <paramref name="warn"/> and never stops training.
    /// </summary>
    public static void TryRecord(string runFolder, string defaultRoot, Action<string> warn)
    {
        string? root = null;
        try
        {
            root = RootFor(runFolder, defaultRoot);
            if (root is not null)
            {
                using var registry = Open(root);
                registry.Record(runFolder);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            warn($"the run registry {Path.Combine(root ?? defaultRoot, FileName)} was not updated ({e.Message}); " +
                "'rnnlab runs' reads the run folders again");
        }
    }

    /// <summary>The runs root whose registry indexes <paramref name="runFolder"/>, or null for none.</summary>
    public static string? RootFor(string runFolder, string defaultRoot)
    {
        var run = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runFolder));
        for (var folder = Path.GetDirectoryName(run); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, FileName)))
            {
                return folder;
            }
        }
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(defaultRoot));
        return run.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? root : null;
    }

    public void Dispose() => connection.Dispose();

    private string Relative(string folder) => Path.GetRelativePath(Root, folder);

    // SQLite's errors name the database and say that rebuilding it is harmless
    private static T Guarded<T>(string file, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqliteException e)
        {
            throw new IOException($"run registry {file}: {e.Message}; it only indexes the run folders, so it " +
                "can be deleted: 'rnnlab runs' makes a new one", e);
        }
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        IEnumerable<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }
}

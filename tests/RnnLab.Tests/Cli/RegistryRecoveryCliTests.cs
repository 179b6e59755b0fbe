using RnnLab.Tracking;

namespace RnnLab.Tests.Cli;

// What the experiment commands do with damaged or odd files: they list from the folders, rebuild
// what is only an index, and never block on a file that is not a regular one.
public sealed class RegistryRecoveryCliTests
{
    [Fact]
    public void A_damaged_registry_is_listed_around_and_rebuilt_by_reindex_keeping_the_damaged_file()
    {
        using var dir = new TempDir();
        var cli = (string[] args) => global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);
        var root = dir.File("runs");
        HandMadeRuns.Write(root, "a", CellKind.Lstm);
        HandMadeRuns.Write(root, "b", CellKind.Gru);
        cli(["runs"]).Exits(0);
        var registry = Path.Combine(root, RunRegistry.FileName);
        var bytes = File.ReadAllBytes(registry);
        File.WriteAllBytes(registry, bytes[..Math.Min(bytes.Length, 3000)]); // cut short
        foreach (var journal in new[] { "-wal", "-shm" }.Select(s => registry + s).Where(File.Exists))
        {
            File.Delete(journal);
        }

        var listed = cli(["runs", "--json"]);
        var rebuilt = cli(["runs", "--reindex", "--json"]);
        var after = cli(["runs", "--json"]);

        listed.Exits(0);
        Assert.Contains("is damaged (", listed.Stderr);
        Assert.Contains("listing from the run folders; 'rnnlab runs --reindex' rebuilds it", listed.Stderr);
        Assert.Contains("\"a\"", listed.Stdout);
        rebuilt.Exits(0);
        Assert.Contains("was damaged; kept as runs/registry.db.damaged-", rebuilt.Stderr);
        Assert.Single(Directory.GetFiles(root, "registry.db.damaged-*"));
        after.Exits(0);
        Assert.Equal("", after.Stderr);
        Assert.Contains("\"b\"", after.Stdout);
    }

    [Fact]
    public void A_fifo_named_like_a_run_file_is_read_as_empty_not_waited_on()
    {
        using var dir = new TempDir();
        var cli = (string[] args) => global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);
        var run = HandMadeRuns.Write(dir.File("runs"), "a", CellKind.Lstm);
        File.Delete(Path.Combine(run, "metrics.jsonl"));
        var made = DebianPackages.Execute("/usr/bin/mkfifo", [Path.Combine(run, "metrics.jsonl")], null,
            TimeSpan.FromSeconds(10));
        Assert.Equal(0, made.Code);

        Assert.False(RunFiles.HasContent(Path.Combine(run, "metrics.jsonl")));
        var listed = cli(["runs", "--json"]); // Cli.Run gives up after 3 minutes: a hang fails the test
        listed.Exits(0);
        Assert.Contains("\"a\"", listed.Stdout);
    }
}

using System.Text.Json;
using RnnLab.Tracking;

namespace RnnLab.Tests.Cli;

// rnnlab runs as a user meets it: hand-made run folders (and one trained run), real processes.
public sealed class RunsCliTests
{
    private static CliResult Runs(string workingDirectory, params string[] args) =>
        global::RnnLab.Tests.Support.Cli.Run(workingDirectory, ["runs", .. args]);

    private static void ThreeRuns(string root)
    {
        HandMadeRuns.MarkSweep(Path.Combine(root, "diary"));
        HandMadeRuns.Write(root, "diary/lstm-3", layers: 3, seed: 1, valLosses: [1.25, 1.5]);
        HandMadeRuns.Write(root, "diary/gru-3", cell: CellKind.Gru, layers: 3, seed: 2, valLosses: [1.125]);
        HandMadeRuns.Write(root, "lstm-2", layers: 2, seed: 3, valLosses: [1.75], state: RunState.Interrupted);
    }

    [Fact]
    public void WhereSortAndLimitSelectTheRunsAndJsonPrintsThemWithInvariantNumbers()
    {
        using var dir = new TempDir();
        ThreeRuns(dir.File("runs"));

        var result = Runs(dir.Path, "--where", "sweep=diary", "--where", "layers=3", "--sort", "val_bpc", "--json")
            .Exits(0);

        using var json = JsonDocument.Parse(result.Stdout);
        var runs = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["gru-3", "lstm-3"], runs.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal("diary/gru-3", runs[0].GetProperty("path").GetString());
        Assert.Equal("finished", runs[0].GetProperty("status").GetString());
        Assert.Equal(1.125 / Math.Log(2), runs[0].GetProperty("best_val_bpc").GetDouble());
        Assert.Equal(1.25, runs[1].GetProperty("best_val_loss").GetDouble());
        Assert.Equal(1.5, runs[1].GetProperty("final_val_loss").GetDouble());
        Assert.Equal(200, runs[1].GetProperty("steps").GetInt64());
        Assert.Equal("gru", runs[0].GetProperty("config").GetProperty("model").GetProperty("cell").GetString());
        Assert.Contains("\"best_val_loss\": 1.25,", result.Stdout);

        var top = Runs(dir.Path, "--sort", "best_val_bpc", "--desc", "--limit", "1", "--json").Exits(0);
        Assert.Equal("lstm-2", JsonDocument.Parse(top.Stdout).RootElement.EnumerateArray().Single()
            .GetProperty("name").GetString());
    }

    [Fact]
    public void TheTableShowsEachRunsSettingsAndFigures()
    {
        using var dir = new TempDir();
        ThreeRuns(dir.File("runs"));

        var result = Runs(dir.Path, "--where", "status=interrupted").Exits(0);

        var row = result.Stdout.Split('\n').Single(line => line.Contains("lstm-2"));
        Assert.Equal(["lstm-2", "-", "interrupted", "lstm", "2", "64", "adam", "3", "100", "2.525", "2.525",
            "2026-12-01 12:13:00"], row.Split('│', '|').Select(cell => cell.Trim()));
        Assert.Contains("1 run", result.Stdout);
        Assert.DoesNotContain("gru-3", result.Stdout);
    }

    [Fact]
    public void JsonPrintsAConfigItCannotReindentAsTheFileHasIt()
    {
        using var dir = new TempDir();
        var run = HandMadeRuns.Write(dir.File("runs"), "odd");
        const string Config = "{\"name\": \"x\\ud800\", \"model\": {\"cell\": \"lstm\", \"layers\": 1e400}}";
        File.WriteAllText(Path.Combine(run, "config.json"), Config); // a lone surrogate: valid JSON, no .NET string

        var result = Runs(dir.Path, "--json", "--where", "cell=lstm").Exits(0);

        Assert.Contains($"\"config\": {Config}", result.Stdout);
        Assert.Equal(1, JsonDocument.Parse(result.Stdout).RootElement.GetArrayLength());
    }

    [Fact]
    public void AnUnknownWhereKeyExitsWithCodeTwoAndNamesTheKnownKeys()
    {
        using var dir = new TempDir();
        ThreeRuns(dir.File("runs"));

        var result = Runs(dir.Path, "--where", "colour=red").Exits(2);

        Assert.Equal(
            "rnnlab: error: unknown --where key 'colour'; use a run field (name, path, sweep, status, reason, " +
            "started, ended, steps, best_val_loss, best_val_bpc, final_val_loss, final_val_bpc, last_train_loss) " +
            "or a config key (config.name, data.path, mode, delimiter, csv-column, condition-on-class, " +
            "val-fraction, min-char-count, batch-size, bptt, format, val-data, cell, layers, hidden, embedding, " +
            "class-embedding, " +
            "dropout, optimizer, learning-rate, momentum, nesterov, weight-decay, beta1, beta2, schedule, " +
            "warmup-steps, step-size, gamma, min-lr-fraction, plateau-patience, clip-mode, clip, loss-on, " +
            "eos-state-loss, epochs, train.steps, time-limit-seconds, eval-every, eval-batches, patience, " +
            "log-every, seed, sample-length, max-non-finite, tensorboard, exposure, exposure-schedule, exposure-k, " +
            "exposure-max, free-running, professor-weight, professor-teacher-weight, professor-rows, " +
            "professor-every, discriminator-hidden, discriminator-lr, discriminator-outputs, generator-gate, " +
            "discriminator-gate, gate-decay, exposure-diagnostics, diagnostic-length, diagnostic-windows, ngram)\n",
            result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData(new[] { "--where", "cell" }, "rnnlab: error: --where 'cell' is not KEY=VALUE; e.g. --where cell=lstm")]
    [InlineData(new[] { "--where", "steps=many" },
        "rnnlab: error: --where steps=many: steps is a number; e.g. --where steps=1000")]
    [InlineData(new[] { "--sort", "colour" }, "rnnlab: error: unknown --sort key 'colour'; use a run field")]
    [InlineData(new[] { "--limit", "0" }, "rnnlab: error: --limit must be 1 or more (got 0)")]
    [InlineData(new[] { "--root", "missing" },
        "rnnlab: error: runs folder not found: missing; pass --root DIR, the folder that holds the runs")]
    public void BadInputExitsWithCodeTwoAndSaysWhy(string[] args, string expected)
    {
        using var dir = new TempDir();
        ThreeRuns(dir.File("runs"));

        var result = Runs(dir.Path, args).Exits(2);

        Assert.StartsWith(expected, result.Stderr);
    }

    [Fact]
    public void ProcessesReindexingWhileThisOneRecordsAllSucceed()
    {
        using var dir = new TempDir();
        var root = dir.File("runs");
        var folders = Enumerable.Range(0, 30).Select(i => HandMadeRuns.Write(root, $"r{i:D2}", seed: i)).ToList();

        // two command-line processes rebuild the whole index while this process records run after run
        using var first = ChildProcess.Start(dir.Path, "runs", "--reindex", "--json");
        using var second = ChildProcess.Start(dir.Path, "runs", "--reindex", "--json");
        using (var registry = RunRegistry.Open(root))
        {
            while (!first.HasExited || !second.HasExited)
            {
                folders.ForEach(registry.Record);
            }
        }

        foreach (var child in new[] { first, second })
        {
            var result = child.WaitForExit(TimeSpan.FromMinutes(1)).Exits(0);
            Assert.Equal(30, JsonDocument.Parse(result.Stdout).RootElement.GetArrayLength());
        }
    }

    [Fact]
    public void ATrainedRunIsListedWithItsSettingsAndFigures()
    {
        using var dir = new TempDir();
        var data = dir.Write("d.txt", Corpora.ShakespeareSlice(3_000));
        global::RnnLab.Tests.Support.Cli.Run(dir.Path, "train", "--data", data, "--cell", "gru", "--layers", "1",
            "--hidden", "16", "--embedding", "8", "--batch-size", "4", "--bptt", "8", "--steps", "4",
            "--log-every", "2", "--eval-every", "2", "--sample-length", "0", "--seed", "5").Exits(0);

        var result = Runs(dir.Path, "--where", "cell=gru", "--where", "status=finished", "--json").Exits(0);

        var run = JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray().Single();
        Assert.EndsWith("-gru-stream", run.GetProperty("name").GetString());
        Assert.Equal(4, run.GetProperty("steps").GetInt64());
        Assert.Equal("reached step 4", run.GetProperty("reason").GetString());
        Assert.Equal(5, run.GetProperty("config").GetProperty("train").GetProperty("seed").GetInt32());
        var lastEval = File.ReadLines(Path.Combine(dir.Path, "runs", run.GetProperty("path").GetString()!,
            "metrics.jsonl")).Last(line => line.Contains("\"eval\""));
        Assert.Equal(JsonDocument.Parse(lastEval).RootElement.GetProperty("val_bpc").GetDouble(),
            run.GetProperty("final_val_bpc").GetDouble());
        Assert.True(File.Exists(Path.Combine(dir.Path, "runs", RunRegistry.FileName)));
    }
}

using RnnLab.Tracking;

namespace RnnLab.Tests.Tracking;

// The run registry on hand-made run folders: what it reads, how it follows the folders, how it filters.
public sealed class RegistryTests
{
    private static readonly double Ln2 = Math.Log(2);

    private static IReadOnlyList<RunSummary> Refreshed(string root, RunQuery? query = null)
    {
        using var registry = RunRegistry.Open(root);
        registry.Refresh();
        return registry.List(query ?? new RunQuery());
    }

    [Fact]
    public void A_run_reads_its_best_and_final_evaluation_last_loss_steps_and_status()
    {
        using var dir = new TempDir();
        HandMadeRuns.Write(dir.Path, "a", valLosses: [2.0, 1.25, 1.5]);
        File.AppendAllText(Path.Combine(dir.Path, "a", "metrics.jsonl"), "{\"kind\": \"eval\", \"st"); // torn by a kill

        var run = Assert.Single(Refreshed(dir.Path));

        Assert.Equal(("a", "a", "finished", "reached step 1000"), (run.Path, run.Name, run.Status, run.Reason));
        Assert.Equal(300, run.Steps);
        Assert.Equal(1.25, run.BestValLoss);
        Assert.Equal(1.25 / Ln2, run.BestValBpc);
        Assert.Equal(1.5, run.FinalValLoss);
        Assert.Equal(1.5 / Ln2, run.FinalValBpc);
        Assert.Equal(1.75, run.LastTrainLoss);
        Assert.Equal(new DateTime(2026, 12, 1, 12, 1, 0, DateTimeKind.Utc), run.Started);
        Assert.Equal(run.Started!.Value.AddMinutes(10), run.Ended);
        Assert.Equal("lstm", run.Setting("cell")!.Text);
        Assert.Equal(2, run.Setting("layers")!.Number);
        Assert.Equal("input.txt", run.Setting("data.path")!.Text);
        Assert.Equal(1000, run.Setting("train.steps")!.Number);
        Assert.Equal(0.002, run.Setting("learning-rate")!.Number);
    }

    [Fact]
    public void Runs_are_found_at_any_depth_with_their_sweep_but_not_inside_runs_or_hidden_folders()
    {
        using var dir = new TempDir();
        HandMadeRuns.Write(dir.Path, "plain");
        HandMadeRuns.MarkSweep(dir.File("diary"));
        HandMadeRuns.Write(dir.Path, "diary/lstm-h64");
        HandMadeRuns.Write(dir.Path, "group/deeper/b", state: null); // no status.json: a run from before them
        HandMadeRuns.Write(dir.Path, "plain/tensorboard/not-a-run");
        HandMadeRuns.Write(dir.Path, ".staging/hidden");
        Directory.CreateDirectory(dir.File("empty"));
        File.WriteAllText(dir.File("group/config.json"), "{}"); // a config alone is not a run

        var runs = Refreshed(dir.Path);

        Assert.Equal(["diary/lstm-h64", "group/deeper/b", "plain"], runs.Select(r => r.Path).Order());
        Assert.Equal("diary", runs.Single(r => r.Name == "lstm-h64").Sweep);
        Assert.Null(runs.Single(r => r.Name == "plain").Sweep);
        Assert.Equal("none", runs.Single(r => r.Name == "b").Status);
    }

    [Fact]
    public void A_deleted_run_disappears_on_reindex_and_the_others_keep_their_metrics()
    {
        using var dir = new TempDir();
        HandMadeRuns.Write(dir.Path, "a", valLosses: [1.5, 1.25]);
        HandMadeRuns.Write(dir.Path, "b", valLosses: [1.75]);
        HandMadeRuns.Write(dir.Path, "c", valLosses: [2.0, 1.0, 1.125]);
        Assert.Equal(3, Refreshed(dir.Path).Count);

        Directory.Delete(dir.File("b"), recursive: true);
        using var registry = RunRegistry.Open(dir.Path);
        registry.Reindex();
        var runs = registry.List(new RunQuery());

        Assert.Equal(["a", "c"], runs.Select(r => r.Name));
        Assert.Equal([1.25, 1.0], runs.Select(r => r.BestValLoss));
        Assert.Equal([1.25, 1.125], runs.Select(r => r.FinalValLoss));
        Assert.Equal([200L, 300L], runs.Select(r => r.Steps));
    }

    [Fact]
    public void A_refresh_drops_gone_folders_adds_copied_in_ones_and_reads_changed_ones_again()
    {
        using var dir = new TempDir();
        using var elsewhere = new TempDir();
        var root = dir.File("runs");
        HandMadeRuns.Write(root, "a", valLosses: [1.5]);
        HandMadeRuns.Write(root, "b");
        var made = HandMadeRuns.Write(elsewhere.Path, "from-another-machine", cell: CellKind.Gru, valLosses: [0.9]);
        Assert.Equal(2, Refreshed(root).Count);

        // copied in as cp -p would: the files keep their old times
        var copy = Path.Combine(root, "imported", "from-another-machine");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(made))
        {
            var target = Path.Combine(copy, Path.GetFileName(file));
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        }
        Directory.Delete(Path.Combine(root, "b"), recursive: true);
        File.AppendAllText(Path.Combine(root, "a", "metrics.jsonl"),
            "{\"kind\": \"eval\", \"step\": 700, \"val_loss\": 1.0, \"val_bpc\": 1.4427}\n");
        using var registry = RunRegistry.Open(root);
        var result = registry.Refresh();
        var runs = registry.List(new RunQuery());

        Assert.Equal(new RefreshResult(Added: 1, Updated: 1, Removed: 1), result);
        Assert.Equal(["a", "imported/from-another-machine"], runs.Select(r => r.Path));
        Assert.Equal((1.0, 700L), (runs[0].BestValLoss!.Value, runs[0].Steps!.Value));
        Assert.Equal(("gru", 0.9), (runs[1].Setting("cell")!.Text, runs[1].BestValLoss!.Value));
        Assert.Equal(new RefreshResult(0, 0, 0), registry.Refresh());
    }

    [Fact]
    public void Where_conditions_are_anded_and_compare_numbers_as_numbers_and_text_without_case()
    {
        using var dir = new TempDir();
        HandMadeRuns.MarkSweep(dir.File("diary"));
        HandMadeRuns.Write(dir.Path, "diary/lstm-3", layers: 3, seed: 1, valLosses: [1.4]);
        HandMadeRuns.Write(dir.Path, "diary/gru-3", cell: CellKind.Gru, layers: 3, seed: 2, valLosses: [1.3]);
        HandMadeRuns.Write(dir.Path, "diary/lstm-2", layers: 2, seed: 3, state: RunState.Interrupted);
        HandMadeRuns.Write(dir.Path, "lstm-3-alone", layers: 3, seed: 4, optimizer: OptimizerKind.Sgd);

        IEnumerable<string> Names(params (string, string)[] where) =>
            Refreshed(dir.Path, new RunQuery { Where = where }).Select(r => r.Name).Order();

        Assert.Equal(["lstm-2", "lstm-3", "lstm-3-alone"], Names(("cell", "lstm")));
        Assert.Equal(["lstm-3"], Names(("cell", "LSTM"), ("sweep", "diary"), ("layers", "3.0")));
        Assert.Equal(["lstm-2"], Names(("status", "interrupted")));
        Assert.Equal(["lstm-3-alone"], Names(("sweep", "")));
        Assert.Equal(["lstm-3-alone"], Names(("optimizer", "sgd"), ("model.layers", "3")));
        var bpc = (1.3 / Ln2).ToString("R", CultureInfo.InvariantCulture);
        Assert.Equal(["gru-3"], Names(("lr", "2e-3"), ("val_bpc", bpc)));
        Assert.Empty(Names(("cell", "rnn-tanh")));
    }

    [Fact]
    public void Sort_orders_by_a_field_or_a_config_key_with_missing_values_last()
    {
        using var dir = new TempDir();
        HandMadeRuns.Write(dir.Path, "mid", seed: 5, valLosses: [2.0, 1.5]);
        HandMadeRuns.Write(dir.Path, "best", seed: 9, valLosses: [1.0, 1.6]);
        HandMadeRuns.Write(dir.Path, "worst", seed: 1, valLosses: [3.0]);
        HandMadeRuns.Write(dir.Path, "never-evaluated", seed: 3, valLosses: []);

        IEnumerable<string> Order(string? sort, bool descending = false, int? limit = null) =>
            Refreshed(dir.Path, new RunQuery { Sort = sort, Descending = descending, Limit = limit })
                .Select(r => r.Name);

        Assert.Equal(["best", "mid", "worst", "never-evaluated"], Order("val_bpc"));
        Assert.Equal(["worst", "mid", "best", "never-evaluated"], Order("best_val_bpc", descending: true));
        Assert.Equal(["mid", "best", "worst", "never-evaluated"], Order("final_val_bpc"));
        Assert.Equal(["worst", "never-evaluated", "mid", "best"], Order("seed"));
        Assert.Equal(["best", "mid"], Order("steps", descending: true, limit: 2));
        Assert.Equal(["worst", "never-evaluated", "mid", "best"], Order("started"));
        Assert.Equal(["worst", "never-evaluated", "mid", "best"], Order(null));
    }

    [Fact]
    public void An_unknown_key_is_refused_with_the_known_ones()
    {
        using var dir = new TempDir();
        HandMadeRuns.Write(dir.Path, "a");

        var error = Assert.Throws<RnnLabException>(
            () => Refreshed(dir.Path, new RunQuery { Where = [("colour", "red")] }));
        var sortError = Assert.Throws<RnnLabException>(() => Refreshed(dir.Path, new RunQuery { Sort = "colour" }));

        Assert.StartsWith("unknown --where key 'colour'; use a run field (name, path, sweep, status, reason, " +
            "started, ended, steps, best_val_loss, best_val_bpc, final_val_loss, final_val_bpc, last_train_loss) " +
            "or a config key (config.name, data.path, mode, delimiter, csv-column, ", error.Message);
        Assert.StartsWith("unknown --sort key 'colour'", sortError.Message);
    }

    [Fact]
    public void A_run_left_running_by_a_killed_process_reads_as_killed_once_no_process_holds_it()
    {
        using var dir = new TempDir();
        var folder = HandMadeRuns.Write(dir.Path, "r", state: RunState.Running);
        using (new FileStream(Path.Combine(folder, ".lock"), FileMode.Create, FileAccess.ReadWrite, FileShare.None))
        {
            Assert.Equal("running", Assert.Single(Refreshed(dir.Path)).Status);
        }

        // no process holds the lock now, and no file changed: the registry must look again by itself
        Assert.Equal("killed", Assert.Single(Refreshed(dir.Path)).Status);
    }

    [Fact]
    public void A_registry_in_memory_lists_what_one_on_disk_does_and_writes_nothing()
    {
        using var dir = new TempDir();
        HandMadeRuns.Write(dir.Path, "a", valLosses: [1.5]);
        HandMadeRuns.Write(dir.Path, "b", valLosses: [1.25]);

        using var registry = RunRegistry.InMemory(dir.Path);
        registry.Reindex();

        Assert.Equal(["b", "a"], registry.List(new RunQuery { Sort = "val_loss" }).Select(r => r.Name));
        Assert.False(File.Exists(dir.File(RunRegistry.FileName)));
    }

    [Fact]
    public void A_registry_db_of_another_program_is_refused_and_left_alone()
    {
        using var dir = new TempDir();
        var foreign = dir.Write(RunRegistry.FileName, "not a database, someone's notes");

        var error = Assert.Throws<RnnLabException>(() => RunRegistry.Open(dir.Path));

        Assert.Equal($"{foreign} is not an RnnLab run registry; move it away (RnnLab makes a new one) or pass " +
            "another --root", error.Message);
        Assert.Equal("not a database, someone's notes", File.ReadAllText(foreign));
    }

    [Fact]
    public async Task Two_threads_writing_at_once_both_succeed()
    {
        using var dir = new TempDir();
        var folders = Enumerable.Range(0, 40).Select(i => HandMadeRuns.Write(dir.Path, $"r{i:D2}", seed: i)).ToList();
        using (var first = RunRegistry.Open(dir.Path))
        {
            first.Refresh();
        }

        // each thread records its half of the runs one by one, as parallel training processes would,
        // while the other refreshes and rebuilds the whole index
        var writers = Enumerable.Range(0, 2).Select(t => Task.Run(() =>
        {
            using var registry = RunRegistry.Open(dir.Path);
            foreach (var folder in folders.Where((_, i) => i % 2 == t))
            {
                registry.Record(folder);
                _ = t == 0 ? registry.Refresh() : registry.Reindex();
            }
        })).ToArray();
        await Task.WhenAll(writers);

        Assert.Equal(40, Refreshed(dir.Path).Count);
    }
}

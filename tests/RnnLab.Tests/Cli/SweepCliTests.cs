using System.Text.Json;
using RnnLab.Tracking;

namespace RnnLab.Tests.Cli;

public sealed class SweepCliTests
{
    private const string Base =
        "\"data\": \"d.txt\", \"hidden\": 8, \"layers\": 1, \"embedding\": 4, \"steps\": 4, \"eval-every\": 4, " +
        "\"log-every\": 2, \"sample-length\": 0, \"batch-size\": 2, \"bptt\": 8";

    [Fact]
    public void A_sweep_trains_its_members_reports_failures_and_continues_where_it_stopped()
    {
        using var dir = new TempDir();
        var cli = (string[] args) => global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);
        dir.Write("d.txt", Corpora.ShakespeareSlice(3_000));
        dir.Write("s.json", $$"""
            { "name": "t", "base": { {{Base}} },
              "variants": [ {}, { "name": "gru", "cell": "gru" }, { "name": "bad", "batch-size": 50000 } ] }
            """);

        var first = cli(["sweep", "--config", "s.json", "--parallel", "2"]);
        var again = cli(["sweep", "--config", "s.json"]);
        dir.Write("s.json", $$"""{ "name": "t", "base": { {{Base}} }, "grid": { "lr": [0.01] } }""");
        var changed = cli(["sweep", "--config", "s.json"]);

        first.Exits(1);
        Assert.StartsWith("sweep t: 3 runs in runs/t (0 done, 0 to resume, 3 to start)\n",
            first.Stdout.ReplaceLineEndings("\n"));
        Assert.Contains("finished base seed 1: best val bpc ", first.Stdout);
        Assert.Contains("finished gru seed 1: best val bpc ", first.Stdout);
        Assert.Contains("sweep t: 2 of 3 finished, 1 failed", first.Stdout);
        Assert.Contains("failed: bad seed 1: rnnlab: error: the training split has ", first.Stderr);
        Assert.Contains("(log: runs/t/logs/bad_s1.log)", first.Stderr);
        Assert.Equal(RunState.Finished, RunStatus.Read(dir.File("runs/t/gru_s1"))!.State);
        Assert.Contains("\"gru\"", File.ReadAllText(dir.File("runs/t/gru_s1/config.json")));
        using (var plan = JsonDocument.Parse(File.ReadAllText(dir.File("runs/t/sweep.json"))))
        {
            var runs = plan.RootElement.GetProperty("runs").EnumerateArray().ToList();
            Assert.Equal(["base_s1", "gru_s1", "bad_s1"], runs.Select(r => r.GetProperty("path").GetString()));
            Assert.Equal("gru", runs[1].GetProperty("group").GetString());
        }
        // the failed member is tried again; the finished ones are not
        again.Exits(1);
        Assert.StartsWith("sweep t: 3 runs in runs/t (2 done, 0 to resume, 1 to start)\n",
            again.Stdout.ReplaceLineEndings("\n"));
        changed.Exits(2);
        Assert.Contains("rnnlab: error: runs/t holds a different sweep (its sweep.json lists other members or " +
            "flags); give the changed sweep a new \"name\", or move that folder away", changed.Stderr);
    }

    [Fact]
    public void Flags_train_would_refuse_and_folders_the_sweep_did_not_make_stop_it_before_any_run()
    {
        using var dir = new TempDir();
        var cli = (string[] args) => global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);
        dir.Write("d.txt", "some text");
        dir.Write("bad.json", """
            { "name": "b", "base": { "data": "d.txt", "steps": 5 },
              "variants": [ { "name": "x", "cell": "transformer" }, { "name": "y", "hidden": "big" },
                            { "name": "ok" } ] }
            """);
        dir.Write("nodata.json", """{ "name": "n", "base": { "data": "missing.txt", "steps": 5 } }""");
        dir.Write("mine.json", """{ "name": "mine", "base": { "data": "d.txt", "steps": 5 } }""");
        Directory.CreateDirectory(dir.File("runs/mine/base_s1"));
        dir.Write("runs/mine/base_s1/notes.txt", "my notes");

        var bad = cli(["sweep", "--config", "bad.json"]);
        var noData = cli(["sweep", "--config", "nodata.json"]);
        var mine = cli(["sweep", "--config", "mine.json"]);

        bad.Exits(2);
        Assert.Equal("rnnlab: error: bad.json: train would refuse these members' flags:\n" +
            "  'x': unknown --cell 'transformer'; valid values: rnn-tanh, rnn-relu, lstm, gru, elman\n" +
            "  'y': --hidden needs a number, not 'big'; see --help\n", bad.Stderr.ReplaceLineEndings("\n"));
        Assert.False(Directory.Exists(dir.File("runs/b")));
        noData.Exits(2);
        Assert.Contains("'base': --data missing.txt not found (paths in a sweep file are relative to the folder " +
            "the sweep runs from)", noData.Stderr);
        mine.Exits(2);
        Assert.Contains("runs/mine exists and was not made by rnnlab sweep (it has no sweep.json); give the sweep " +
            "another \"name\", or pass another --root", mine.Stderr);
        Assert.Equal("my notes", File.ReadAllText(dir.File("runs/mine/base_s1/notes.txt")));
    }

    [Fact]
    public void The_plan_resumes_an_interrupted_member_with_what_is_left_of_its_time_and_restarts_a_killed_one()
    {
        using var dir = new TempDir();
        var cli = (string[] args) => global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);
        dir.Write("s.json", """{ "name": "p", "seeds": 3, "base": { "data": "d.txt", "time-limit": "2m" } }""");
        dir.Write("d.txt", "some text");
        Assert.Equal(0, cli(["sweep", "--config", "s.json", "--plan"]).ExitCode);
        Assert.False(Directory.Exists(dir.File("runs")), "--plan must create nothing");
        Directory.CreateDirectory(dir.File("runs/p"));
        // the plan a first invocation wrote, then member folders as an interrupted and a killed run leave them
        var members = Enumerable.Range(1, 3).Select(seed => $$"""
            { "name": "base seed {{seed}}", "group": "base", "seed": {{seed}}, "path": "base_s{{seed}}",
              "args": ["--data", "d.txt", "--time-limit", "2m", "--seed", "{{seed}}"] }
            """);
        dir.Write("runs/p/sweep.json", $$"""{ "name": "p", "runs": [{{string.Join(",", members)}}] }""");
        var model = new ModelConfig { Cell = CellKind.Gru, Layers = 1, Hidden = 4, Embedding = 2 };
        Directory.CreateDirectory(dir.File("runs/p/base_s1"));
        TestCheckpoints.Write(dir.File("runs/p/base_s1/last.ckpt"), model);
        new RunStatus { State = RunState.Interrupted, Started = DateTime.UtcNow, Step = 1 }
            .Write(dir.File("runs/p/base_s1"));
        Directory.CreateDirectory(dir.File("runs/p/base_s2"));
        new RunStatus { State = RunState.Running, Started = DateTime.UtcNow }.Write(dir.File("runs/p/base_s2"));

        var plan = cli(["sweep", "--config", "s.json", "--plan"]);

        plan.Exits(0);
        var lines = plan.Stdout.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal("sweep p: 3 runs in runs/p (0 done, 1 to resume, 2 to start)", lines[0]);
        Assert.Equal("resume base_s1: train --resume runs/p/base_s1 --time-limit 120", lines[1]);
        Assert.Equal("restart base_s2: train --data d.txt --time-limit 2m --seed 2 --name base --out runs/p/base_s2",
            lines[2]);
        Assert.Equal("start  base_s3: train --data d.txt --time-limit 2m --seed 3 --name base --out runs/p/base_s3",
            lines[3]);
        Assert.True(Directory.Exists(dir.File("runs/p/base_s2")), "--plan must not move anything");

        // a member folder some live process holds (a member of a killed sweep) is left to it
        using (RunFolder.Resume(dir.File("runs/p/base_s1"), 1))
        {
            var held = cli(["sweep", "--config", "s.json", "--plan"]);
            Assert.Contains("busy   base_s1 (being trained by another process)", held.Stdout);
        }

        // a damaged plan cannot vouch for the runs beside it: refused with the way out, and left as it is
        File.WriteAllText(dir.File("runs/p/sweep.json"), "{ \"runs\": [ { \"na");
        var damaged = cli(["sweep", "--config", "s.json", "--plan"]);
        damaged.Exits(2);
        Assert.Contains("runs/p/sweep.json is damaged (not a sweep plan), so the runs in runs/p cannot be matched " +
            "to this sweep file; restore it, or move that folder away and run the sweep again", damaged.Stderr);
        Assert.Equal("{ \"runs\": [ { \"na", File.ReadAllText(dir.File("runs/p/sweep.json")));
    }
}

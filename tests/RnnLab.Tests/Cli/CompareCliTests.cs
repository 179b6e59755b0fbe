namespace RnnLab.Tests.Cli;

public sealed class CompareCliTests
{
    [Fact]
    public void Compare_writes_one_html_file_and_png_plots()
    {
        using var dir = new TempDir();
        var cli = (string[] args) => global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);
        HandRuns.Write(dir.File("lstm-s1"), "lstm", seed: 1);
        HandRuns.Write(dir.File("lstm-s2"), "lstm", seed: 2);
        HandRuns.Write(dir.File("gru-s1"), "gru", seed: 1);

        var run = cli(["compare", "lstm-s1", "lstm-s2", "gru-s1", "--out", "report.html", "--png", "plots"]);
        var taken = cli(["compare", "lstm-s1", "--out", "report.html"]);
        var pngTaken = cli(["compare", "lstm-s1", "--out", "other.html", "--png", "plots"]);

        run.Exits(0);
        Assert.Equal("compared 3 runs in 2 groups; wrote report.html\n" +
            "wrote plots: val-bpc.png, train-loss.png, best-val-bpc.png\n", run.Stdout.ReplaceLineEndings("\n"));
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(dir.File("report.html")));
        foreach (var png in new[] { "val-bpc.png", "train-loss.png", "best-val-bpc.png" })
        {
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' },
                File.ReadAllBytes(Path.Combine(dir.File("plots"), png))[..4]);
        }
        taken.Exits(2);
        Assert.Equal("rnnlab: error: report.html already exists; pass a new --out (nothing is overwritten)\n",
            taken.Stderr.ReplaceLineEndings("\n"));
        pngTaken.Exits(2);
        Assert.StartsWith("rnnlab: error: --png plots already exists; pass a new folder for the plots",
            pngTaken.Stderr);
        Assert.False(File.Exists(dir.File("other.html")));
    }

    [Fact]
    public void Missing_runs_and_runs_with_no_metrics_are_bad_input()
    {
        using var dir = new TempDir();
        var cli = (string[] args) => global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);
        HandRuns.Write(dir.File("good"));
        Directory.CreateDirectory(dir.File("fresh"));
        File.WriteAllText(Path.Combine(dir.File("fresh"), "config.json"), HandRuns.Config());
        File.WriteAllText(Path.Combine(dir.File("fresh"), "metrics.jsonl"), "{\"kind\":\"tra");

        var missing = cli(["compare", "good", "nope", "--out", "r.html"]);
        var fresh = cli(["compare", "good", "fresh", "--out", "r.html"]);
        var twice = cli(["compare", "good", "good/", "--out", "r.html"]);
        var nothing = cli(["compare", "--out", "r.html"]);
        var both = cli(["compare", "good", "--sweep", "diary", "--out", "r.html"]);
        var noOut = cli(["compare", "good"]);

        missing.Exits(2);
        Assert.Equal("rnnlab: error: run folder not found: nope; pass folders that 'rnnlab train' wrote\n",
            missing.Stderr.ReplaceLineEndings("\n"));
        fresh.Exits(2);
        Assert.Equal("rnnlab: error: run fresh has no metrics yet (no train or eval record in metrics.jsonl); " +
            "pass runs that have logged a step\n", fresh.Stderr.ReplaceLineEndings("\n"));
        twice.Exits(2);
        Assert.Equal("rnnlab: error: run good is given twice; pass each run once\n",
            twice.Stderr.ReplaceLineEndings("\n"));
        nothing.Exits(2);
        both.Exits(2);
        Assert.All([nothing, both], r => Assert.Equal(
            "rnnlab: error: pass the runs to compare: run folders, or --sweep NAME (one of them)\n",
            r.Stderr.ReplaceLineEndings("\n")));
        noOut.Exits(2);
        Assert.Contains("pass --out FILE, a new HTML file for the report", noOut.Stderr);
        Assert.False(File.Exists(dir.File("r.html")));
    }

    [Fact]
    public void A_sweep_reports_missing_members_in_the_page_and_a_missing_sweep_file_by_path()
    {
        using var dir = new TempDir();
        var cli = (string[] args) => global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);
        var sweep = Directory.CreateDirectory(Path.Combine(dir.Path, "runs", "diary")).FullName;
        HandRuns.Write(Path.Combine(sweep, "a_s1"), seed: 1);
        File.WriteAllText(Path.Combine(sweep, "sweep.json"), """
            {"name": "diary", "runs": [{"name": "a seed 1", "group": "a", "seed": 1, "path": "a_s1"},
              {"name": "a seed 2", "group": "a", "seed": 2, "path": "a_s2"}]}
            """);
        Directory.CreateDirectory(dir.File("elsewhere"));

        var run = cli(["compare", "--sweep", "diary", "--out", "diary.html"]);
        var noSweep = cli(["compare", "--sweep", "diary", "--root", "elsewhere", "--out", "x.html"]);

        run.Exits(0);
        Assert.Equal("compared 1 run in 1 group, 1 missing or not started; wrote diary.html\n",
            run.Stdout.ReplaceLineEndings("\n"));
        Assert.Contains("<tr><th>a seed 2</th><td>a</td><td><code>runs/diary/a_s2</code></td><td>folder not found",
            File.ReadAllText(dir.File("diary.html")));
        noSweep.Exits(2);
        Assert.Equal("rnnlab: error: sweep file not found: elsewhere/diary/sweep.json; run 'rnnlab sweep' first, " +
            "or pass --root with the folder that holds the sweep\n", noSweep.Stderr.ReplaceLineEndings("\n"));
    }
}

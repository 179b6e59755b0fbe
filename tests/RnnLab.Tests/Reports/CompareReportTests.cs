using System.Text.RegularExpressions;
using RnnLab.Reports;

namespace RnnLab.Tests.Reports;

public sealed class CompareReportTests
{
    // the data-run attribute of each polyline inside one chart's <svg>
    private static List<string> CurvesIn(string html, string chart)
    {
        var svg = Regex.Match(html, $"<svg[^>]*data-chart=\"{chart}\"[^>]*>(.*?)</svg>", RegexOptions.Singleline);
        Assert.True(svg.Success, $"no chart {chart}");
        return Regex.Matches(svg.Groups[1].Value, "<polyline[^>]*\\bdata-run=\"([^\"]*)\"")
            .Select(m => m.Groups[1].Value).ToList();
    }

    [Fact]
    public void Each_chart_has_exactly_one_curve_per_run()
    {
        using var dir = new TempDir();
        var folders = new[]
        {
            HandRuns.Write(dir.File("lstm-s1"), "lstm", seed: 1),
            HandRuns.Write(dir.File("lstm-s2"), "lstm", seed: 2),
            HandRuns.Write(dir.File("gru-s1"), "gru", seed: 1),
            HandRuns.Write(dir.File("gru-early"), "gru", seed: 2, valBpc: []), // logged, never evaluated
        };

        var comparison = Comparison.OfRuns(folders);
        var html = CompareReport.Html(comparison);

        string[] names = ["lstm-s1", "lstm-s2", "gru-s1", "gru-early"];
        Assert.Equal(names, CurvesIn(html, "train-loss"));
        Assert.Equal(names, CurvesIn(html, "val-bpc"));
        Assert.Equal(8, Regex.Matches(html, "<polyline").Count);
    }

    [Fact]
    public void Runs_that_differ_only_in_seed_and_name_form_one_group()
    {
        using var dir = new TempDir();
        var a = HandRuns.Write(dir.File("a"), "lstm", seed: 1);
        var b = HandRuns.Write(dir.File("b"), "lstm", seed: 2);
        var c = HandRuns.Write(dir.File("c"), "gru", lr: 1e-3, seed: 1);
        File.WriteAllText(Path.Combine(b, "config.json"), HandRuns.Config("lstm", seed: 2, name: "other"));

        var comparison = Comparison.OfRuns([a, b, c]);
        var alone = Comparison.OfRuns([a, b]);

        Assert.Equal(["cell=lstm, learning-rate=0.002", "cell=gru, learning-rate=0.001"],
            comparison.Groups.Select(g => g.Label));
        Assert.Equal([["a", "b"], ["c"]], comparison.Groups.Select(g => g.Runs.Select(r => r.Name).ToArray()));
        Assert.Equal("all runs", Assert.Single(alone.Groups).Label);
    }

    [Fact]
    public void The_config_table_shows_only_what_differs_and_the_seeds_per_group()
    {
        using var dir = new TempDir();
        var comparison = Comparison.OfRuns([
            HandRuns.Write(dir.File("a1"), "lstm", seed: 1), HandRuns.Write(dir.File("a2"), "lstm", seed: 5),
            HandRuns.Write(dir.File("b1"), "gru", seed: 1)]);

        var html = CompareReport.Html(comparison);
        var table = Regex.Match(html, "<table class=\"configs\">(.*?)</table>", RegexOptions.Singleline).Value;

        var keys = Regex.Matches(table, "<th><code>([^<]*)</code></th>").Select(m => m.Groups[1].Value);
        Assert.Equal(["model.cell"], keys);
        Assert.Contains("<tr><th>seeds</th><td>1, 5</td><td>1</td></tr>", table);
    }

    [Fact]
    public void Group_figures_in_the_page_are_mean_and_sample_std()
    {
        using var dir = new TempDir();
        var comparison = Comparison.OfRuns([
            HandRuns.Write(dir.File("s1"), valBpc: [3.0, 2.1, 2.2]),
            HandRuns.Write(dir.File("s2"), valBpc: [2.9, 2.3, 2.0]),
            HandRuns.Write(dir.File("s3"), valBpc: [2.8, 2.2, 2.4])]);

        var html = CompareReport.Html(comparison);

        Assert.Contains("<td class=\"num\">2.100 ± 0.100 (n 3)</td><td class=\"num\">2.200 ± 0.200 (n 3)</td>",
            html);
    }

    [Fact]
    public void Samples_and_names_are_escaped_and_the_page_fetches_nothing()
    {
        using var dir = new TempDir();
        var comparison = Comparison.OfRuns([
            HandRuns.Write(dir.File("r&d <1>"), sample: "<script>alert(\"hi\")</script> & co"),
            HandRuns.Write(dir.File("plain"), "gru", sample: "line one\nline 'two'")]);

        var html = CompareReport.Html(comparison);

        Assert.Contains("<pre>&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt; &amp; co</pre>", html);
        Assert.Contains("<pre>line one\nline &#39;two&#39;</pre>", html);
        Assert.Contains("data-run=\"r&amp;d &lt;1&gt;\"", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("r&d", html);
        foreach (var external in new[] { "http:", "https:", "src=", "href=", "<link", "@import", "url(" })
        {
            Assert.DoesNotContain(external, html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void A_sweep_folder_given_as_a_run_is_refused_with_the_flags_that_read_it()
    {
        using var dir = new TempDir();
        var sweep = Directory.CreateDirectory(dir.File("diary")).FullName;
        File.WriteAllText(Path.Combine(sweep, "sweep.json"), """{"name": "diary", "runs": []}""");

        var error = Assert.Throws<RnnLabException>(() => Comparison.OfRuns([sweep]));

        Assert.Equal($"{sweep} is a sweep, not a run; pass --sweep diary --root {dir.Path}", error.Message);
    }

    [Fact]
    public void A_sweep_lists_its_missing_and_unstarted_runs_and_draws_the_others()
    {
        using var dir = new TempDir();
        var sweep = Directory.CreateDirectory(dir.File(Path.Combine("runs", "diary"))).FullName;
        HandRuns.Write(Path.Combine(sweep, "lstm_s1"), "lstm", seed: 1);
        HandRuns.Write(Path.Combine(sweep, "gru_s1"), "gru", seed: 1);
        var unstarted = Directory.CreateDirectory(Path.Combine(sweep, "gru_s2")).FullName;
        File.WriteAllText(Path.Combine(unstarted, "config.json"), HandRuns.Config("gru", seed: 2));
        File.WriteAllText(Path.Combine(sweep, "sweep.json"), """
            {"name": "diary", "runs": [
              {"name": "cell=lstm seed 1", "group": "cell=lstm", "seed": 1, "path": "lstm_s1"},
              {"name": "cell=lstm seed 2", "group": "cell=lstm", "seed": 2, "path": "lstm_s2"},
              {"name": "cell=gru seed 1", "group": "cell=gru", "seed": 1, "path": "gru_s1"},
              {"name": "cell=gru seed 2", "group": "cell=gru", "seed": 2, "path": "gru_s2"}]}
            """);

        var comparison = Comparison.OfSweep(dir.File("runs"), "diary");
        var html = CompareReport.Html(comparison);

        Assert.Equal(["cell=lstm seed 1", "cell=gru seed 1"], CurvesIn(html, "val-bpc"));
        Assert.Equal(["cell=lstm", "cell=gru"], comparison.Groups.Select(g => g.Label));
        Assert.Equal([(1, 2), (1, 2)], comparison.Groups.Select(g => (g.Runs.Count, g.Planned)));
        Assert.Equal(["cell=lstm seed 2: folder not found", "cell=gru seed 2: not started: no metrics yet"],
            comparison.Missing.Select(m => $"{m.Name}: {m.Reason}"));
        Assert.Contains("<h2>Missing or not started</h2>", html);
        Assert.Contains("<tr><th>cell=lstm seed 2</th><td>cell=lstm</td>", html);
        Assert.Contains("<td class=\"num\">1 of 2</td>", html);
    }
}

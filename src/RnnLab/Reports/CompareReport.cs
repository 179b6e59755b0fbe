using System.Text;
using RnnLab.Configuration;
using RnnLab.Tracking;

namespace RnnLab.Reports;

/// <summary>
/// Writes a comparison as one self-contained HTML page: inline CSS and SVG, and nothing fetched
/// (no scripts, fonts or styles from elsewhere), so it opens offline and can be mailed or archived.
/// The page holds the curves, what differs between the configs, each group's figures over its
/// seeds, the runs a sweep is still missing, and the last samples of each run side by side.
/// </summary>
public static class CompareReport
{
    private const string Style = """
        body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1180px; padding: 0 16px;
          color: #222; }
        h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 32px; border-bottom: 1px solid #ddd; }
        table { border-collapse: collapse; margin: 8px 0; }
        th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        th { background: #f5f5f5; } code { font-size: 13px; }
        .charts { display: flex; flex-wrap: wrap; gap: 12px; }
        svg.chart { flex: 1 1 520px; min-width: 0; max-width: 760px; height: auto; background: #fff; }
        svg .title { font-size: 15px; text-anchor: middle; } svg .axis-title { font-size: 12px; text-anchor: middle; }
        svg .y-tick { font-size: 11px; text-anchor: end; } svg .x-tick { font-size: 11px; text-anchor: middle; }
        svg .grid { stroke: #eee; } svg .tick { stroke: #888; } svg .frame { fill: none; stroke: #888; }
        svg polyline { fill: none; stroke-width: 1.6; stroke-opacity: 0.85; }
        svg polyline:hover { stroke-width: 3.5; stroke-opacity: 1; }
        ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 18px; }
        .swatch { display: inline-block; width: 26px; margin-right: 6px; vertical-align: middle; }
        .samples { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(260px, 1fr); gap: 12px;
          overflow-x: auto; }
        .samples pre { white-space: pre-wrap; word-break: break-word; background: #f7f7f7; padding: 8px;
          margin: 4px 0; font-size: 12.5px; }
        .note { color: #666; }
        """;

    public static void Write(string path, Comparison comparison) => AtomicFile.WriteText(path, Html(comparison));

    public static string Html(Comparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var page = new StringBuilder();
        var runs = comparison.Runs;
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>rnnlab compare: ").Append(Text(comparison.Title)).Append("</title>\n")
            .Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>rnnlab compare: ").Append(Text(comparison.Title)).Append("</h1>\n")
            .Append("<p>").Append(Count(runs.Count, "run")).Append(" in ")
            .Append(Count(comparison.Groups.Count, "group"))
            .Append(comparison.Missing.Count > 0 ? $"; {comparison.Missing.Count} missing or not started" : "")
            .Append(". Spread is the sample standard deviation over a group's seeds; n counts the runs with ")
            .Append("the figure.</p>\n");
        Curves(page, comparison);
        CompareTables.Configs(page, comparison);
        CompareTables.Metrics(page, comparison);
        CompareTables.Missing(page, comparison);
        Samples(page, comparison);
        return page.Append("</body>\n</html>\n").ToString();
    }

    // NOTE: not WebUtility.HtmlEncode, which also turns "±" and "é" into numeric entities
    /// <summary>Text for HTML content and attribute values: &amp;, &lt;, &gt; and both quotes escaped.</summary>
    public static string Text(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal)
            .Replace("'", "&#39;", StringComparison.Ordinal);

    /// <summary>Every run's training-loss curve, one per run, in its group's colour.</summary>
    public static IReadOnlyList<Curve> TrainCurves(Comparison comparison) =>
        CurvesOf(comparison, run => run.Train.Select(t => ((double)t.Step, t.Loss)));

    /// <summary>Every run's validation-bpc curve, one per run (with no points before its first evaluation).</summary>
    public static IReadOnlyList<Curve> ValCurves(Comparison comparison) =>
        CurvesOf(comparison, run => run.Evals.Select(e => ((double)e.Step, e.ValBpc)));

    private static List<Curve> CurvesOf(
        Comparison comparison,
        Func<RunHistory, IEnumerable<(double, double)>> points) =>
        comparison.Groups.SelectMany((group, g) => group.Runs.Select(run => new Curve(run.Name, g,
            points(run).ToList()))).ToList();

    private static void Curves(StringBuilder page, Comparison comparison)
    {
        page.Append("<h2>Curves</h2>\n<div class=\"charts\">\n")
            .Append(SvgChart.Render("train-loss", "Training loss", "step", "loss (nats/char)",
                TrainCurves(comparison)))
            .Append(SvgChart.Render("val-bpc", "Validation bits per character", "step", "val bpc",
                ValCurves(comparison)))
            .Append("</div>\n<ul class=\"legend\">\n");
        foreach (var (group, g) in comparison.Groups.Select((group, g) => (group, g)))
        {
            page.Append("<li>").Append(CompareTables.Swatch(g)).Append(Text(group.Label))
                .Append(" <span class=\"note\">(").Append(Count(group.Runs.Count, "run")).Append(")</span></li>\n");
        }
        page.Append("</ul>\n<p class=\"note\">Training loss is the mean over each log interval. Hover over a ")
            .Append("curve to see its run.</p>\n");
    }

    private static void Samples(StringBuilder page, Comparison comparison)
    {
        page.Append("<h2>Samples</h2>\n<p class=\"note\">The samples drawn at each run's last evaluation ")
            .Append("(samples.txt).</p>\n<div class=\"samples\">\n");
        foreach (var run in comparison.Runs)
        {
            page.Append("<div><strong>").Append(Text(run.Name)).Append("</strong>");
            page.Append(run.LastSampleStep is { } step
                ? string.Create(CultureInfo.InvariantCulture, $" <span class=\"note\">step {step:N0}</span>\n")
                : " <span class=\"note\">no samples</span>\n");
            foreach (var sample in run.LastSamples)
            {
                page.Append("<pre>").Append(Text(sample)).Append("</pre>\n");
            }
            page.Append("</div>\n");
        }
        page.Append("</div>\n");
    }

    /// <summary>"1 run", "3 runs".</summary>
    public static string Count(int n, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? "" : "s")}");

    /// <summary>"45 s", "12m 05s", "2h 03m".</summary>
    public static string Duration(double seconds)
    {
        var s = (long)Math.Round(seconds);
        return s < 60 ? string.Create(CultureInfo.InvariantCulture, $"{s} s")
            : s < 3600 ? string.Create(CultureInfo.InvariantCulture, $"{s / 60}m {s % 60:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{s / 3600}h {s % 3600 / 60:00}m");
    }

    /// <summary>A run's state as status.json gives it ("finished", "killed"), or "unknown".</summary>
    public static string State(RunHistory run) => run.Status is { } status ? EnumNames.Name(status.State) : "unknown";
}

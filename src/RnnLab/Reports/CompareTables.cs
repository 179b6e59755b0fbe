using System.Text;

namespace RnnLab.Reports;

/// <summary>The tables of the comparison page: configs, figures per group and per run, missing runs.</summary>
internal static class CompareTables
{
    /// <summary>Only the config keys that differ between groups (one column each), and each group's seeds.</summary>
    public static void Configs(StringBuilder page, Comparison comparison)
    {
        var groups = comparison.Groups.Select((group, g) => (Group: group, Index: g))
            .Where(p => p.Group.Runs.Count > 0).ToList();
        var configs = groups.Select(p => ConfigDiff.Merge(p.Group.Runs.Select(r => r.Config).ToList())).ToList();
        var rows = ConfigDiff.Differences(configs, ConfigDiff.NameAndSeed);
        page.Append("<h2>What differs</h2>\n");
        page.Append(rows.Count == 0
            ? "<p>The configs are equal apart from the run names and seeds.</p>\n"
            : "<p class=\"note\">Config keys (config.json) whose values are not equal everywhere; " +
              "<code>a | b</code>: runs of one group differ.</p>\n");
        page.Append("<table class=\"configs\">\n<tr><th>key</th>");
        foreach (var (group, g) in groups)
        {
            page.Append("<th>").Append(Swatch(g)).Append(CompareReport.Text(group.Label)).Append("</th>");
        }
        page.Append("</tr>\n");
        foreach (var row in rows)
        {
            page.Append("<tr><th><code>").Append(CompareReport.Text(row.Key)).Append("</code></th>");
            foreach (var value in row.Values)
            {
                page.Append("<td>").Append(CompareReport.Text(value ?? "(absent)")).Append("</td>");
            }
            page.Append("</tr>\n");
        }
        page.Append("<tr><th>seeds</th>");
        foreach (var (group, _) in groups)
        {
            page.Append("<td>").Append(CompareReport.Text(string.Join(", ", group.Seeds))).Append("</td>");
        }
        page.Append("</tr>\n</table>\n");
        foreach (var run in comparison.Runs.Where(r => r.ConfigProblem is not null))
        {
            page.Append("<p class=\"note\">").Append(CompareReport.Text($"{run.Name}: {run.ConfigProblem}"))
                .Append("</p>\n");
        }
    }

    /// <summary>Each group's figures as mean ± spread over its seeds, then each run's own.</summary>
    public static void Metrics(StringBuilder page, Comparison comparison)
    {
        page.Append("<h2>Results per group</h2>\n<table class=\"groups\">\n<tr><th>group</th><th>runs</th>")
            .Append("<th>best val bpc</th><th>final val bpc</th><th>steps</th><th>train time</th>")
            .Append("<th>char/s</th></tr>\n");
        foreach (var (group, g) in comparison.Groups.Select((group, g) => (group, g)))
        {
            var summary = GroupSummary.Of(group);
            page.Append("<tr><th>").Append(Swatch(g)).Append(CompareReport.Text(group.Label)).Append("</th>")
                .Append(Cell(group.Runs.Count == group.Planned
                    ? $"{group.Runs.Count}"
                    : $"{group.Runs.Count} of {group.Planned}"))
                .Append(Cell(summary.BestValBpc?.Format("F3")))
                .Append(Cell(summary.FinalValBpc?.Format("F3")))
                .Append(Cell(summary.Steps?.Format("N0")))
                .Append(Cell(summary.TrainSeconds?.Format(CompareReport.Duration)))
                .Append(Cell(summary.CharsPerSecond?.Format("N0")))
                .Append("</tr>\n");
        }
        page.Append("</table>\n<p class=\"note\">Train time: status.json's start to end (evaluations included), ")
            .Append("or the logged time per step for a run that has not ended or was resumed. char/s: the mean ")
            .Append("of the logged speeds.</p>\n");

        page.Append("<h2>Results per run</h2>\n<table class=\"runs\">\n<tr><th>run</th><th>group</th><th>seed</th>")
            .Append("<th>state</th><th>best val bpc</th><th>final val bpc</th><th>steps</th><th>train time</th>")
            .Append("<th>char/s</th></tr>\n");
        foreach (var (group, g) in comparison.Groups.Select((group, g) => (group, g)))
        {
            foreach (var run in group.Runs)
            {
                page.Append("<tr><th title=\"").Append(CompareReport.Text(run.Path)).Append("\">")
                    .Append(CompareReport.Text(run.Name)).Append("</th><td>").Append(Swatch(g))
                    .Append(CompareReport.Text(group.Label)).Append("</td>")
                    .Append(Cell(run.Seed ?? "?")).Append(Cell(CompareReport.State(run)))
                    .Append(Cell(run.BestValBpc?.ToString("F3", CultureInfo.InvariantCulture)))
                    .Append(Cell(run.FinalValBpc?.ToString("F3", CultureInfo.InvariantCulture)))
                    .Append(Cell(run.Steps.ToString("N0", CultureInfo.InvariantCulture)))
                    .Append(Cell(run.TrainSeconds is { } s ? CompareReport.Duration(s) : null))
                    .Append(Cell(run.CharsPerSecond?.ToString("N0", CultureInfo.InvariantCulture)))
                    .Append("</tr>\n");
            }
        }
        page.Append("</table>\n");
    }

    /// <summary>A sweep's runs that are not in the figures: no folder yet, or nothing logged.</summary>
    public static void Missing(StringBuilder page, Comparison comparison)
    {
        if (comparison.Missing.Count == 0)
        {
            return;
        }
        page.Append("<h2>Missing or not started</h2>\n<table class=\"missing\">\n")
            .Append("<tr><th>run</th><th>group</th><th>folder</th><th>why</th></tr>\n");
        foreach (var missing in comparison.Missing)
        {
            page.Append("<tr><th>").Append(CompareReport.Text(missing.Name)).Append("</th><td>")
                .Append(CompareReport.Text(missing.Group)).Append("</td><td><code>")
                .Append(CompareReport.Text(missing.Path)).Append("</code></td><td>")
                .Append(CompareReport.Text(missing.Reason)).Append("</td></tr>\n");
        }
        page.Append("</table>\n");
    }

    private static string Cell(string? text) => $"<td class=\"num\">{CompareReport.Text(text ?? "–")}</td>";

    /// <summary>A short line in the group's colour, as in the charts.</summary>
    public static string Swatch(int group) =>
        $"<span class=\"swatch\" style=\"border-top: 3px {(GroupColors.Dashed(group) ? "dashed" : "solid")} " +
        $"{GroupColors.Of(group)}\"></span>";
}

using RnnLab.Tracking;

namespace RnnLab.Reports;

/// <summary>
/// PNG plots of a comparison, for a README or a paper: validation-bpc and training-loss curves
/// (one line per run, coloured by group, as in the HTML report) and best validation bpc per group
/// as bars with the spread over seeds.
/// </summary>
public static class ComparePlots
{
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Write(string folder, Comparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return
        [
            Lines(Path.Combine(folder, "val-bpc.png"), comparison, CompareReport.ValCurves(comparison),
                "Validation bits per character", "val bpc"),
            Lines(Path.Combine(folder, "train-loss.png"), comparison, CompareReport.TrainCurves(comparison),
                "Training loss", "loss (nats/char)"),
            Bars(Path.Combine(folder, "best-val-bpc.png"), comparison),
        ];
    }

    private static string Lines(string path, Comparison comparison, IReadOnlyList<Curve> curves, string title,
        string yTitle)
    {
        // the HTML chart's axis, so both pick log or linear alike; a log axis plots log10 of the values
        var y = ChartAxis.For(curves.SelectMany(c => c.Points).Select(p => p.Y).ToList());
        double Place(double value) => y.Log ? Math.Log10(value) : value;
        var plot = new ScottPlot.Plot();
        var labelled = new HashSet<int>();
        foreach (var curve in curves)
        {
            var points = curve.Points.Where(p => !y.Log || p.Y > 0).ToList();
            var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(),
                points.Select(p => Place(p.Y)).ToArray());
            line.Color = ScottPlot.Color.FromHex(GroupColors.Of(curve.Group));
            line.LinePattern = GroupColors.Dashed(curve.Group)
                ? ScottPlot.LinePattern.Dashed
                : ScottPlot.LinePattern.Solid;
            line.LineWidth = 1.5f;
            line.MarkerSize = points.Count == 1 ? 6 : 0;

            // one legend entry per group, not per run
            if (labelled.Add(curve.Group))
            {
                line.LegendText = comparison.Groups[curve.Group].Label;
            }
        }
        plot.Axes.Left.SetTicks(y.Ticks.Select(Place).ToArray(), y.Ticks.Select(ChartAxis.Label).ToArray());
        plot.Axes.SetLimitsY(Place(y.Min), Place(y.Max));
        plot.Axes.Bottom.Label.Text = "step";
        plot.Axes.Left.Label.Text = y.Log ? $"{yTitle} (log scale)" : yTitle;
        plot.Title(title);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        AtomicFile.Write(path, plot.GetImageBytes(1000, 600, ScottPlot.ImageFormat.Png));
        return path;
    }

    private static string Bars(string path, Comparison comparison)
    {
        var plot = new ScottPlot.Plot();
        var groups = comparison.Groups.Select((group, g) => (Index: g, Best: GroupSummary.Of(group).BestValBpc))
            .ToList();
        var bars = groups.Select((p, position) => new ScottPlot.Bar
        {
            Position = position,
            Value = p.Best?.Mean ?? 0,
            Error = p.Best?.StdDev ?? 0,
            FillColor = ScottPlot.Color.FromHex(GroupColors.Of(p.Index)),
            Label = p.Best?.Format("F3") ?? "no evaluation",
        }).ToList();
        var plottable = plot.Add.Bars(bars);
        plottable.ValueLabelStyle.FontSize = 12;
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, groups.Count).Select(i => (double)i).ToArray(),
            comparison.Groups.Select(g => g.Label).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = groups.Count > 4 ? 30 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = groups.Count > 4 ? ScottPlot.Alignment.MiddleLeft
            : ScottPlot.Alignment.UpperCenter;
        plot.Axes.Margins(bottom: 0);
        plot.Axes.Left.Label.Text = "best val bpc (mean ± sample std over seeds)";
        plot.Title("Best validation bits per character per group");
        AtomicFile.Write(path, plot.GetImageBytes(Math.Max(700, 160 * groups.Count), 600, ScottPlot.ImageFormat.Png));
        return path;
    }
}

using RnnLab.Tracking;

namespace RnnLab.Classification;

/// <summary>The confusion matrix as a PNG heat map: colour is the share of each true class, text the count.</summary>
public static class ConfusionPlot
{
    public static void Save(ClassificationMetrics metrics, string path, string title)
    {
        var k = metrics.Classes.Count;
        var shares = new double[k, k];
        for (var r = 0; r < k; r++)
        {
            for (var c = 0; c < k; c++)
            {
                shares[r, c] = metrics.Support[r] == 0 ? 0 : (double)metrics.Confusion[r, c] / metrics.Support[r];
            }
        }
        var plot = new ScottPlot.Plot();
        var map = plot.Add.Heatmap(shares);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.ManualRange = new ScottPlot.Range(0, 1);
        plot.Add.ColorBar(map);
        var positions = Enumerable.Range(0, k).Select(i => (double)i).ToArray();

        // heat map rows run top to bottom; the y axis runs bottom to top
        plot.Axes.Bottom.SetTicks(positions, metrics.Classes.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 60;
        plot.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 12 + 7 * metrics.Classes.Max(c => c.Length);
        plot.Axes.Left.SetTicks(positions, metrics.Classes.Reverse().ToArray());
        plot.Axes.Bottom.Label.Text = "predicted class";
        plot.Axes.Left.Label.Text = "true class";
        for (var r = 0; r < k; r++)
        {
            for (var c = 0; c < k; c++)
            {
                if (metrics.Confusion[r, c] == 0)
                {
                    continue;
                }
                var label = plot.Add.Text(metrics.Confusion[r, c].ToString(CultureInfo.InvariantCulture), c, k - 1 - r);
                label.LabelAlignment = ScottPlot.Alignment.MiddleCenter;
                label.LabelFontSize = k > 12 ? 9 : 12;
                label.LabelFontColor = shares[r, c] > 0.5 ? ScottPlot.Colors.Black : ScottPlot.Colors.White;
            }
        }
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        plot.Title(title + "\ncolour: share of the true class; text: count");
        var side = Math.Clamp(60 + 42 * k, 400, 1400);
        var bytes = plot.GetImageBytes(side + 160, side + 60, ScottPlot.ImageFormat.Png);
        AtomicFile.Write(path, bytes);
    }
}

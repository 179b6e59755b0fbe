using RnnLab.Configuration;
using RnnLab.Tracking;

namespace RnnLab.Inspection;

/// <summary>Writes measured gradient norms as gradients.csv, gradient-flow.png and one heat map per model.</summary>
public static class GradientFlowReport
{
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<GradientNorms> results, string title)
    {
        var files = new List<string>
        {
            Csv(Path.Combine(folder, "gradients.csv"), results),
            Lines(Path.Combine(folder, "gradient-flow.png"), results, title),
        };
        foreach (var result in results.Where(r => r.Loss == FlowLoss.LastStep))
        {
            files.Add(Heatmap(Path.Combine(folder, $"heatmap-{Label(result)}.png"), result));
        }
        return files;
    }

    /// <summary>"fresh-rnn-tanh", "my-run-lstm": a model's name in files and legends.</summary>
    public static string Label(GradientNorms result) =>
        result.Model.EndsWith(EnumNames.Name(result.Cell), StringComparison.Ordinal)
            ? result.Model
            : $"{result.Model}-{EnumNames.Name(result.Cell)}";

    private static string Csv(string path, IReadOnlyList<GradientNorms> results)
    {
        // t counts from 1, as in the plots and the printed table
        var text = new System.Text.StringBuilder("model,cell,loss,layer,t,grad_norm\n");
        foreach (var r in results)
        {
            for (var layer = 0; layer < r.Layers; layer++)
            {
                for (var t = 0; t < r.Steps; t++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{CsvField(r.Model)},{EnumNames.Name(r.Cell)},")
                        .Append(CultureInfo.InvariantCulture, $"{EnumNames.Name(r.Loss)},{layer},{t + 1},")
                        .Append(CultureInfo.InvariantCulture, $"{r.Norms[layer, t]:G6}\n");
                }
            }
        }
        AtomicFile.WriteText(path, text.ToString());
        return path;
    }

    private static string CsvField(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";

    // one line per model and loss, top layer, log scale: a vanishing gradient is a falling line
    private static string Lines(string path, IReadOnlyList<GradientNorms> results, string title)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var models = results.Select(Label).Distinct().ToList();
        foreach (var r in results)
        {
            // a gradient that underflowed to exactly zero has no logarithm: the line stops there
            var steps = Enumerable.Range(0, r.Steps).Where(t => r.Norms[r.Layers - 1, t] > 0).ToArray();
            var line = plot.Add.ScatterLine(steps.Select(t => t + 1.0).ToArray(),
                steps.Select(t => Math.Log10(r.Norms[r.Layers - 1, t])).ToArray());
            line.MarkerSize = 0;
            line.Color = palette.GetColor(models.IndexOf(Label(r)));
            line.LinePattern = r.Loss == FlowLoss.LastStep ? ScottPlot.LinePattern.Solid : ScottPlot.LinePattern.Dashed;
            line.LineWidth = 2;
            var loss = r.Loss == FlowLoss.LastStep ? "at the last step" : "summed over steps";
            line.LegendText = $"{Label(r)}, loss {loss}";
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => string.Create(CultureInfo.InvariantCulture, $"1e{y:0}"),
        };
        plot.Axes.Bottom.Label.Text = "time step t (the loss's last step is on the right; a line ends where the " +
            "gradient is exactly 0)";
        plot.Axes.Left.Label.Text = "‖dL/dh_t‖, top layer (log scale)";
        plot.Title(title);
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        AtomicFile.Write(path, plot.GetImageBytes(1100, 650, ScottPlot.ImageFormat.Png));
        return path;
    }

    private static string Heatmap(string path, GradientNorms r)
    {
        // rows: layers, top layer first (heat map rows run top to bottom); colour: log10 of the norm
        var values = new double[r.Layers, r.Steps];
        for (var layer = 0; layer < r.Layers; layer++)
        {
            for (var t = 0; t < r.Steps; t++)
            {
                // an exactly zero gradient is shown as the smallest float32, 1e-45
                values[r.Layers - 1 - layer, t] = Math.Log10(Math.Max(r.Norms[layer, t], 1e-45));
            }
        }
        var plot = new ScottPlot.Plot();
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.Extent = new ScottPlot.CoordinateRect(0.5, r.Steps + 0.5, -0.5, r.Layers - 0.5); // t from 1
        plot.Add.ColorBar(map).Label = "log10 ‖dL/dh_t‖";
        plot.Axes.Left.SetTicks(Enumerable.Range(0, r.Layers).Select(l => (double)l).ToArray(),
            Enumerable.Range(0, r.Layers).Select(l => $"layer {l + 1}").ToArray());
        plot.Axes.Bottom.Label.Text = "time step t";
        plot.Title($"{Label(r)}: gradient of the last step's loss, by layer and time");
        AtomicFile.Write(path, plot.GetImageBytes(1100, Math.Clamp(160 + 60 * r.Layers, 300, 700),
            ScottPlot.ImageFormat.Png));
        return path;
    }
}

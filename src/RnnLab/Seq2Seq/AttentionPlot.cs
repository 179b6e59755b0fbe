using RnnLab.Configuration;
using RnnLab.Data;
using RnnLab.Tracking;

namespace RnnLab.Seq2Seq;

/// <summary>
/// A translation's attention weights as a PNG heat map: source characters along the bottom, output
/// characters down the side (first at the top), colour the weight (0 to 1). Drawn off screen.
/// </summary>
public static class AttentionPlot
{
    public static void Save(Translation translation, string path, string title)
    {
        var weights = translation.Attention
            ?? throw new RnnLabException("this model has no attention (it was trained with --attention none)");
        var (rows, columns) = (weights.Length, translation.SourceCharacters.Count);
        var grid = new double[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                grid[r, c] = weights[r][c];
            }
        }
        var plot = new ScottPlot.Plot();
        var map = plot.Add.Heatmap(grid);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.ManualRange = new ScottPlot.Range(0, 1);
        plot.Add.ColorBar(map);

        // heat map rows run top to bottom; the y axis runs bottom to top
        plot.Axes.Bottom.SetTicks(Positions(columns), translation.SourceCharacters.Select(Shown).ToArray());
        plot.Axes.Left.SetTicks(Positions(rows), translation.OutputCharacters.Take(rows).Reverse().Select(Shown)
            .ToArray());
        plot.Axes.Bottom.Label.Text = "source characters";
        plot.Axes.Left.Label.Text = "output characters";
        plot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, rows - 0.5);
        plot.Title(title);
        var cell = 22;
        var bytes = plot.GetImageBytes(Math.Clamp(160 + cell * columns, 400, 2400),
            Math.Clamp(140 + cell * rows, 300, 2400), ScottPlot.ImageFormat.Png);
        AtomicFile.Write(path, bytes);
    }

    private static double[] Positions(int count) => Enumerable.Range(0, count).Select(i => (double)i).ToArray();

    // a space would be an invisible tick label
    private static string Shown(string character) => character switch
    {
        " " => "␣",
        "<eos>" => "⟨eos⟩",
        _ => character,
    };
}

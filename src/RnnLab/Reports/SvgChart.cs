using System.Text;
using static System.FormattableString;

namespace RnnLab.Reports;

/// <summary>One run's curve in a chart, drawn in its group's colour.</summary>
public sealed record Curve(string Run, int Group, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// A line chart as inline SVG, for a report that needs no network: a frame, grid lines, ticks
/// with labels, axis titles and one polyline per curve (with its run's name as a tooltip).
/// </summary>
public static class SvgChart
{
    // the whole picture, and the plot area inside it (left of it the y labels, below it the x labels)
    private const int Width = 760;
    private const int Height = 380;
    private const int Left = 64;
    private const int Top = 36;
    private const int PlotWidth = Width - Left - 16;
    private const int PlotHeight = Height - Top - 50;
    private const int Bottom = Top + PlotHeight;

    // a curve past this many points is thinned: the page stays small and the eye sees no difference
    private const int MaxPoints = 1500;

    /// <param name="id">The chart's data-chart attribute.</param>
    public static string Render(string id, string title, string xTitle, string yTitle, IReadOnlyList<Curve> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var x = ChartAxis.For(curves.SelectMany(c => c.Points).Select(p => p.X).ToList(), fromZero: true);
        var y = ChartAxis.For(curves.SelectMany(c => c.Points).Select(p => p.Y).ToList());
        var svg = new StringBuilder()
            .Append(Invariant($"<svg class=\"chart\" data-chart=\"{Html(id)}\" viewBox=\"0 0 {Width} {Height}\" "))
            .Append(Invariant($"role=\"img\" aria-label=\"{Html(title)}\">\n"))
            .Append(Invariant($"<text class=\"title\" x=\"{Width / 2}\" y=\"22\">{Html(title)}</text>\n"));
        Grid(svg, x, y);
        var middle = Top + PlotHeight / 2;
        svg.Append(Invariant($"<text class=\"axis-title\" x=\"{Left + PlotWidth / 2}\" y=\"{Height - 8}\">"))
            .Append(Html(xTitle)).Append("</text>\n")
            .Append(Invariant($"<text class=\"axis-title\" x=\"14\" y=\"{middle}\" "))
            .Append(Invariant($"transform=\"rotate(-90 14 {middle})\">"))
            .Append(Html(yTitle)).Append(y.Log ? " (log scale)" : "").Append("</text>\n");
        foreach (var curve in curves)
        {
            Polyline(svg, curve, x, y);
        }
        return svg.Append("</svg>\n").ToString();
    }

    private static void Grid(StringBuilder svg, ChartAxis x, ChartAxis y)
    {
        foreach (var tick in y.Ticks)
        {
            var py = Py(y, tick);
            svg.Append(Invariant($"<line class=\"grid\" x1=\"{Left}\" x2=\"{Left + PlotWidth}\" "))
                .Append(Invariant($"y1=\"{py:F1}\" y2=\"{py:F1}\"/>"))
                .Append(Invariant($"<text class=\"y-tick\" x=\"{Left - 6}\" y=\"{py + 4:F1}\">"))
                .Append(ChartAxis.Label(tick)).Append("</text>\n");
        }
        foreach (var tick in x.Ticks)
        {
            var px = Px(x, tick);
            svg.Append(Invariant($"<line class=\"tick\" x1=\"{px:F1}\" x2=\"{px:F1}\" y1=\"{Bottom}\" "))
                .Append(Invariant($"y2=\"{Bottom + 5}\"/><text class=\"x-tick\" x=\"{px:F1}\" y=\"{Bottom + 18}\">"))
                .Append(ChartAxis.Label(tick)).Append("</text>\n");
        }
        svg.Append(Invariant($"<rect class=\"frame\" x=\"{Left}\" y=\"{Top}\" width=\"{PlotWidth}\" "))
            .Append(Invariant($"height=\"{PlotHeight}\"/>\n"));
    }

    // exactly one polyline per run, even one with no points yet, so each run is accounted for in each chart
    private static void Polyline(StringBuilder svg, Curve curve, ChartAxis x, ChartAxis y)
    {
        var every = Math.Max(1, (curve.Points.Count + MaxPoints - 1) / MaxPoints);
        var points = curve.Points.Where((_, i) => i % every == 0 || i == curve.Points.Count - 1)
            .Where(p => !y.Log || p.Y > 0)
            .Select(p => (X: Px(x, p.X), Y: Py(y, p.Y))).ToList();
        var color = GroupColors.Of(curve.Group);
        svg.Append(Invariant($"<polyline data-run=\"{Html(curve.Run)}\" data-group=\"{curve.Group}\" "))
            .Append(Invariant($"stroke=\"{color}\""))
            .Append(GroupColors.Dashed(curve.Group) ? " stroke-dasharray=\"6 3\"" : "")
            .Append(" points=\"").AppendJoin(' ', points.Select(p => Invariant($"{p.X:F1},{p.Y:F1}")))
            .Append("\"><title>").Append(Html(curve.Run)).Append("</title></polyline>\n");

        // a line needs two points; a run evaluated once is a dot
        if (points is [var only])
        {
            svg.Append(Invariant($"<circle cx=\"{only.X:F1}\" cy=\"{only.Y:F1}\" r=\"3\" fill=\"{color}\"/>\n"));
        }
    }

    private static double Px(ChartAxis x, double value) => Left + x.Fraction(value) * PlotWidth;

    private static double Py(ChartAxis y, double value) => Bottom - y.Fraction(value) * PlotHeight;

    private static string Html(string text) => CompareReport.Text(text);
}

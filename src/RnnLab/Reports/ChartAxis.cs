namespace RnnLab.Reports;

/// <summary>
/// An axis of a report chart: its range, whether values are placed by their logarithm, and round
/// tick values (1, 2 or 5 times a power of ten) that lie inside the range.
/// </summary>
public sealed record ChartAxis(double Min, double Max, bool Log, IReadOnlyList<double> Ticks)
{
    /// <summary>Where <paramref name="value"/> lies between <see cref="Min"/> (0) and <see cref="Max"/> (1).</summary>
    public double Fraction(double value) => Log
        ? (Math.Log10(value) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
        : (value - Min) / (Max - Min);

    /// <summary>
    /// A linear axis, or a log axis when every value is positive and they span more than a factor
    /// of 3: a training loss that falls from 4.2 to 1.3 keeps its late, small gains readable.
    /// </summary>
    public static ChartAxis For(IReadOnlyCollection<double> values, bool fromZero = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return Linear(0, 1);
        }
        var (low, high) = (values.Min(), values.Max());
        return !fromZero && low > 0 && high / low > 3 ? Logarithmic(low, high)
            : Linear(fromZero ? Math.Min(0, low) : low, high);
    }

    /// <summary>A tick's label: "1,500", "2.5", "0.002" (invariant culture).</summary>
    public static string Label(double value) =>
        Math.Abs(value) >= 1000
            ? value.ToString("N0", CultureInfo.InvariantCulture)
            : Math.Round(value, 10).ToString("0.##########", CultureInfo.InvariantCulture);

    private static ChartAxis Linear(double low, double high)
    {
        if (high - low < 1e-12)
        {
            var pad = Math.Abs(high) > 0 ? Math.Abs(high) * 0.05 : 1;
            (low, high) = (low - pad, high + pad);
        }
        var step = NiceStep((high - low) / 5);
        var (min, max) = (Math.Floor(low / step) * step, Math.Ceiling(high / step) * step);
        return new ChartAxis(min, max, false, TicksBetween(min, max, step));
    }

    private static ChartAxis Logarithmic(double low, double high)
    {
        // a little room above and below, so no curve runs along the frame
        var (min, max) = (low / 1.05, high * 1.05);
        var decades = Math.Log10(max / min);
        if (decades < 1)
        {
            var step = NiceStep((max - min) / 5);
            return new ChartAxis(min, max, true, TicksBetween(Math.Ceiling(min / step) * step, max, step));
        }

        // 1, 2 and 5 per decade; only the powers of ten when there are many decades
        var mantissas = decades > 4 ? new[] { 1.0 } : [1.0, 2.0, 5.0];
        var ticks = new List<double>();
        for (var power = Math.Floor(Math.Log10(min)); power <= Math.Ceiling(Math.Log10(max)); power++)
        {
            ticks.AddRange(mantissas.Select(m => m * Math.Pow(10, power)).Where(t => t >= min && t <= max));
        }
        return new ChartAxis(min, max, true, ticks);
    }

    private static List<double> TicksBetween(double first, double last, double step)
    {
        var ticks = new List<double>();
        for (var k = 0; first + k * step <= last + step * 1e-9; k++)
        {
            ticks.Add(Math.Round(first + k * step, 12));
        }
        return ticks;
    }

    // the round number (1, 2 or 5 times a power of ten) at or above raw
    private static double NiceStep(double raw)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / power;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
    }
}

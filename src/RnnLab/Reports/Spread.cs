namespace RnnLab.Reports;

/// <summary>
/// The mean of a figure over a group's runs, and its spread: the sample standard deviation (divided
/// by n - 1, as numpy's std(ddof=1)), which is undefined for a single run.
/// </summary>
public sealed record Spread(double Mean, double? StdDev, int N)
{
    /// <returns>Null when there are no values.</returns>
    public static Spread? Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var xs = values.ToList();
        if (xs.Count == 0)
        {
            return null;
        }
        var mean = xs.Average();
        double? std = xs.Count > 1 ? Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1)) : null;
        return new Spread(mean, std, xs.Count);
    }

    /// <summary>"2.105 ± 0.012 (n 3)", or "2.105 (n 1)", in the invariant culture.</summary>
    public string Format(string number) => Format(x => x.ToString(number, CultureInfo.InvariantCulture));

    /// <summary>As <see cref="Format(string)"/>, with each figure shown by <paramref name="show"/>.</summary>
    public string Format(Func<double, string> show)
    {
        var n = N.ToString(CultureInfo.InvariantCulture);
        return StdDev is { } std ? $"{show(Mean)} ± {show(std)} (n {n})" : $"{show(Mean)} (n {n})";
    }
}

namespace RnnLab.Inspection;

/// <summary>A unit and its Pearson correlation with a feature.</summary>
public readonly record struct UnitCorrelation(int Unit, double R);

/// <summary>The units most correlated with one feature, by |r|, the strongest first.</summary>
/// <param name="Top">Empty when the feature is constant over the text (r is undefined for every unit).</param>
public sealed record FeatureCorrelations(CharFeature Feature, IReadOnlyList<UnitCorrelation> Top)
{
    /// <summary>The feature has one value over the whole text (no quotes in it, say).</summary>
    public bool Constant => Feature.Values.Distinct().Take(2).Count() < 2;
}

/// <summary>Pearson correlation between hidden units and per-character features.</summary>
public static class Correlation
{
    /// <summary>
    /// Pearson's r of two series of equal length, or null where it is undefined: a constant series
    /// (zero variance), fewer than two values, or values that are not finite. Null, not NaN, so that
    /// no NaN reaches a page or a JSON file.
    /// </summary>
    public static double? Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"series of {x.Length} and {y.Length} values; they must be as long", nameof(y));
        }
        // constancy is tested exactly: the mean of equal values can differ from them in the last bit,
        // which would leave a variance of 1e-34 and an r made of rounding noise
        if (x.Length < 2 || IsConstant(x) || IsConstant(y))
        {
            return null;
        }
        double meanX = 0, meanY = 0;
        for (var i = 0; i < x.Length; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }
        meanX /= x.Length;
        meanY /= y.Length;
        double xy = 0, xx = 0, yy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var dx = x[i] - meanX;
            var dy = y[i] - meanY;
            xy += dx * dy;
            xx += dx * dx;
            yy += dy * dy;
        }
        var r = xy / Math.Sqrt(xx * yy);
        return double.IsFinite(r) ? Math.Clamp(r, -1, 1) : null;
    }

    /// <summary>The <paramref name="top"/> units of <paramref name="trace"/> with the largest |r| with the
    /// feature; units whose r is undefined (constant over the text) are left out.</summary>
    public static FeatureCorrelations Rank(ActivationTrace trace, CharFeature feature, int top)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        var ranked = new List<UnitCorrelation>();
        for (var unit = 0; unit < trace.Units; unit++)
        {
            if (Pearson(trace.Unit(unit), feature.Values) is { } r)
            {
                ranked.Add(new UnitCorrelation(unit, r));
            }
        }
        // ties keep the lower unit first, so the table does not change from run to run
        return new FeatureCorrelations(feature,
            ranked.OrderByDescending(c => Math.Abs(c.R)).ThenBy(c => c.Unit).Take(top).ToArray());
    }

    private static bool IsConstant(ReadOnlySpan<double> values)
    {
        foreach (var value in values)
        {
            if (value != values[0])
            {
                return false;
            }
        }
        return true;
    }
}

namespace RnnLab.Inspection;

/// <summary>
/// One unit's values over a text in a byte each, for a page that must stay small: value ≈
/// q · Scale / 127 with Scale the largest |value|, so the step is Scale / 127 (under 0.008 for
/// tanh-range units, finer than two decimals) at a third of the size of two-decimal text.
/// </summary>
internal sealed class QuantisedUnit
{
    private readonly sbyte[] q;

    private QuantisedUnit(double scale, sbyte[] q)
    {
        Scale = scale;
        this.q = q;
    }

    public double Scale { get; }

    /// <summary>The colour scale's half width: 1 for tanh-range units, more for a ReLU unit above 1.</summary>
    public double Range => Math.Max(1, Scale);

    public string Base64 => Convert.ToBase64String((byte[])(Array)q);

    public double Value(int t) => q[t] * Scale / 127;

    // a value that is not finite (a diverged model) is kept as 0, so that no NaN reaches the page
    public static QuantisedUnit Of(double[] values)
    {
        // rounded up to 4 decimals, so the page carries "0.8933" rather than a float's 17 digits
        var scale = Math.Ceiling(values.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty().Max() * 1e4) / 1e4;
        var q = values.Select(v => scale > 0 && double.IsFinite(v)
            ? (sbyte)Math.Clamp(Math.Round(v / scale * 127), -127, 127)
            : (sbyte)0).ToArray();
        return new QuantisedUnit(scale, q);
    }
}

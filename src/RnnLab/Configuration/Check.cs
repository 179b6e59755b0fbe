namespace RnnLab.Configuration;

/// <summary>Range checks whose messages name the flag, the bad value and the allowed range.</summary>
internal static class Check
{
    public static void Range(string flag, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            throw new RnnLabException(
                $"--{flag} {Format(value)} is out of range; allowed: {Format(min)} to {Format(max)}");
        }
    }

    public static void Above(string flag, double value, double exclusiveMin, double max)
    {
        if (!(value > exclusiveMin && value <= max))
        {
            throw new RnnLabException(
                $"--{flag} {Format(value)} is out of range; allowed: above {Format(exclusiveMin)} " +
                $"up to {Format(max)}");
        }
    }

    /// <summary>Training needs at least one limit; <paramref name="example"/> is a time limit to suggest.</summary>
    public static void HasEnd(int epochs, long steps, double seconds, string example)
    {
        if (epochs == 0 && steps == 0 && seconds == 0)
        {
            throw new RnnLabException(
                $"training has no end; pass --epochs, --steps or --time-limit (e.g. --time-limit {example})");
        }
    }

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}

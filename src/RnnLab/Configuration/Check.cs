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

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}

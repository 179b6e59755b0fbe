using System.Text.RegularExpressions;

namespace RnnLab.Configuration;

/// <summary>
/// Parses durations such as <c>600</c>, <c>90s</c>, <c>10m</c>, <c>1h30m</c> or <c>1.5h</c> into seconds.
/// </summary>
public static partial class Duration
{
    public static double ParseSeconds(string text, string flag)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) && plain >= 0)
        {
            return plain;
        }
        var match = Pattern().Match(trimmed);
        if (!match.Success || trimmed.Length == 0)
        {
            throw new RnnLabException($"--{flag} '{text}' is not a duration; use seconds or e.g. 90s, 10m, 1h30m");
        }
        double Part(string name, double unit) => match.Groups[name].Success
            ? double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) * unit
            : 0;
        return Part("h", 3600) + Part("m", 60) + Part("s", 1);
    }

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$")]
    private static partial Regex Pattern();
}

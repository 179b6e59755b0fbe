namespace RnnLab.Tracking;

/// <summary>
/// Which runs <c>rnnlab runs</c> lists, in what order: every condition must hold (a number compares
/// as a number, text ignores case, an empty value matches runs without the key); sorted by one key,
/// runs without it last; the first <see cref="Limit"/> rows.
/// </summary>
public sealed record RunQuery
{
    public IReadOnlyList<(string Key, string Value)> Where { get; init; } = [];

    /// <summary>A field or config key; null: by start time, then path.</summary>
    public string? Sort { get; init; }

    public bool Descending { get; init; }

    public int? Limit { get; init; }

    /// <summary>Reads <c>KEY=VALUE</c>; the value may be empty and may hold '='.</summary>
    public static (string Key, string Value) Condition(string text)
    {
        var at = text.IndexOf('=');
        if (at <= 0)
        {
            throw new RnnLabException($"--where '{text}' is not KEY=VALUE; e.g. --where cell=lstm");
        }
        return (text[..at].Trim(), text[(at + 1)..].Trim());
    }
}

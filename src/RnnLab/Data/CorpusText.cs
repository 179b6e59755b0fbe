namespace RnnLab.Data;

/// <summary>
/// A text file decoded and normalised: no byte-order mark, LF line ends only. <see cref="Text"/> is
/// UTF-16, but everything downstream walks it by Unicode scalar value, so an emoji is one character.
/// </summary>
public sealed record CorpusText(
    string Path,
    string Text,
    long Bytes,
    bool HadByteOrderMark,
    int CrlfCount,
    int LoneCrCount)
{
    /// <summary>A line for the log saying what normalisation did, or null when it did nothing.</summary>
    public string? NormalisationNote()
    {
        var notes = new List<string>();
        if (HadByteOrderMark)
        {
            notes.Add("dropped a UTF-8 byte-order mark");
        }
        if (CrlfCount > 0)
        {
            notes.Add($"turned {CrlfCount.ToString("N0", CultureInfo.InvariantCulture)} CRLF line ends into LF");
        }
        if (LoneCrCount > 0)
        {
            notes.Add($"turned {LoneCrCount.ToString("N0", CultureInfo.InvariantCulture)} lone CR into LF");
        }
        return notes.Count == 0 ? null : $"{Path}: {string.Join("; ", notes)}";
    }
}

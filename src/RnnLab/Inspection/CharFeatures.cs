using System.Text;

namespace RnnLab.Inspection;

/// <summary>A simple property of each character of a text, to correlate hidden units with.</summary>
/// <param name="Name">Short kebab-case name ("in-quotes").</param>
/// <param name="Description">What a value means, for the page's table.</param>
/// <param name="Values">One value per character.</param>
public sealed record CharFeature(string Name, string Description, double[] Values);

/// <summary>
/// Per-character features in the spirit of Karpathy's "visualizing and understanding recurrent
/// networks". A state such as "inside quotes" is taken after reading the character, as the hidden
/// state is: an opening quote is inside, its closing quote is not.
/// </summary>
public static class CharFeatures
{
    /// <summary>Every feature, in the page's order.</summary>
    public static IReadOnlyList<CharFeature> All(IReadOnlyList<string> characters) =>
    [
        new("in-quotes", "inside double quotes: an odd number of \" so far, this one included",
            InQuotes(characters)),
        new("line-position", "characters since the last newline, divided by the longest line's",
            LinePosition(characters)),
        new("after-space", "the character before is a space", AfterSpace(characters)),
        new("uppercase", "an uppercase letter", Uppercase(characters)),
        new("in-parentheses", "inside parentheses: more ( than ) so far, this one included",
            InParentheses(characters)),
        new("speaker-line", "on a line that ends with ':' (a speaker's name in a play)",
            SpeakerLine(characters)),
    ];

    // NOTE: double quotes only; single quotes are apostrophes too often ("'tis", "we'll") to pair
    public static double[] InQuotes(IReadOnlyList<string> characters)
    {
        var inside = false;
        return characters.Select(c => (inside ^= c == "\"") ? 1.0 : 0.0).ToArray();
    }

    public static double[] LinePosition(IReadOnlyList<string> characters)
    {
        var positions = new double[characters.Count];
        var position = 0;
        for (var t = 0; t < positions.Length; t++)
        {
            positions[t] = position;
            position = characters[t] == "\n" ? 0 : position + 1;
        }
        var longest = positions.DefaultIfEmpty().Max();
        return longest > 0 ? positions.Select(p => p / longest).ToArray() : positions;
    }

    public static double[] AfterSpace(IReadOnlyList<string> characters) =>
        characters.Select((_, t) => t > 0 && characters[t - 1] == " " ? 1.0 : 0.0).ToArray();

    public static double[] Uppercase(IReadOnlyList<string> characters) =>
        characters.Select(c => Rune.IsUpper(Rune.GetRuneAt(c, 0)) ? 1.0 : 0.0).ToArray();

    // an unmatched ')' does not take the depth below zero
    public static double[] InParentheses(IReadOnlyList<string> characters)
    {
        var depth = 0;
        return characters.Select(c =>
        {
            depth = c == "(" ? depth + 1 : c == ")" ? Math.Max(0, depth - 1) : depth;
            return depth > 0 ? 1.0 : 0.0;
        }).ToArray();
    }

    // whole lines, its newline included; the last line counts even without a newline after it
    public static double[] SpeakerLine(IReadOnlyList<string> characters)
    {
        var values = new double[characters.Count];
        var start = 0;
        for (var t = 0; t <= characters.Count; t++)
        {
            if (t < characters.Count && characters[t] != "\n")
            {
                continue;
            }
            var speaker = t > start && characters[t - 1] == ":" ? 1.0 : 0.0;
            Array.Fill(values, speaker, start, Math.Min(t + 1, characters.Count) - start);
            start = t + 1;
        }
        return values;
    }
}

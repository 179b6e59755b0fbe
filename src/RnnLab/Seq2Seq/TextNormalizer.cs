using System.Text;
using RnnLab.Configuration;
using RnnLab.Data;

namespace RnnLab.Seq2Seq;

/// <summary>The cleaning applied to both sides of every pair, and to text given to a trained model.</summary>
public static class TextNormalizer
{
    public static string Apply(string text, Normalization normalization) => normalization switch
    {
        Normalization.Basic => Basic(text),
        Normalization.Tutorial => Tutorial(text),
        _ => text.Trim(),
    };

    // the first character of each letter's canonical decomposition when the rest are combining marks
    // ('.': none), for U+00C0-U+024F and U+1E00-U+1EFF; generated from Python's unicodedata (NFD).
    // NOTE: string.Normalize needs ICU, which this build leaves out (InvariantGlobalization), so the
    // decompositions of the Latin blocks are carried here; other scripts keep their precomposed letters.
    private const string LatinBases =
        "AAAAAA.CEEEEIIII.NOOOOO..UUUUY..aaaaaa.ceeeeiiii.nooooo..uuuuy.yAaAaAaCcCcCcCcDd" +
        "..EeEeEeEeEeGgGgGgGgHh..IiIiIiIiI...JjKk.LlLlLl....NnNnNn...OoOoOo..RrRrRrSsSsSs" +
        "SsTtTt..UuUuUuUuUuUuWwYyYZzZzZz.................................Oo.............U" +
        "u............................AaIiOoUuUuUuUuUu.AaAaÆæ..GgKkOoOoƷʒj...Gg..NnAaÆæØø" +
        "AaAaEeEeIiIiOoOoRrRrUuUuSsTt..Hh......AaEeOoOoOoOoYy............................";

    private const string LatinExtendedAdditionalBases =
        "AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnNnOoOo" +
        "OoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwy.ſ...." +
        "AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUu" +
        "UuYyYyYyYy......";

    /// <summary>
    /// Lower-case, and accents dropped: "Été" becomes "ete", "ç" "c"; "œ" has no decomposition and stays.
    /// </summary>
    public static string Basic(string text)
    {
        var lower = text.Trim().ToLowerInvariant();
        var kept = new StringBuilder(lower.Length);
        foreach (var c in lower)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue; // a combining accent of already decomposed text
            }
            var bases = c switch
            {
                >= '\u00C0' and <= '\u024F' => LatinBases[c - '\u00C0'],
                >= '\u1E00' and <= '\u1EFF' => LatinExtendedAdditionalBases[c - '\u1E00'],
                _ => '.',
            };
            kept.Append(bases == '.' ? c : bases);
        }
        return kept.ToString();
    }

    /// <summary>
    /// The tutorial's cleaning: basic, then " ." " !" " ?" split from the word before, and every run of
    /// other characters that are not ASCII letters becomes one space ("I'm fine." is "i m fine .").
    /// </summary>
    public static string Tutorial(string text)
    {
        var basic = Basic(text);
        var result = new StringBuilder(basic.Length + 4);
        var gap = false;
        foreach (var c in basic)
        {
            var letter = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z';
            var mark = c is '.' or '!' or '?';
            if (mark)
            {
                // the tutorial puts a space before each mark; a run of marks keeps its own spaces
                result.Append(' ').Append(c);
                gap = false;
            }
            else if (letter)
            {
                if (gap)
                {
                    result.Append(' ');
                }
                result.Append(c);
                gap = false;
            }
            else
            {
                gap = true;
            }
        }
        return CollapseSpaces(result.ToString());
    }

    // runs of spaces (from a mark after a gap) become one, as the tutorial's second pattern makes them
    private static string CollapseSpaces(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == ' ' && (builder.Length == 0 || builder[^1] == ' '))
            {
                continue;
            }
            builder.Append(c);
        }
        return builder.ToString().TrimEnd();
    }
}

using System.Text;

namespace RnnLab.Data;

/// <summary>
/// Mikolov's character-level Penn Treebank layout back to plain text. Every character is followed by
/// one space, <c>_</c> stands for a space between words, and a line's newline is a token too:
/// <code>
///   "a e r _ b a n k \n p i e r r e "  ->  "aer bank\npierre"
/// </code>
/// Reading it as it is would make ' ' the most frequent "character" (half of the text) and teach the
/// model a spacing it never has to predict; plain text keeps the ~50 real characters.
/// </summary>
public static class PtbChar
{
    /// <summary>The plain text of a ptb-char file; a token longer than one character is an error.</summary>
    public static string ToPlainText(string text, string path)
    {
        var plain = new StringBuilder(text.Length / 2 + 1);
        var tokens = text.Split(' ');
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token.Length == 1)
            {
                plain.Append(token[0] == '_' ? ' ' : token[0]);
            }
            else if (token.Length > 1 || i < tokens.Length - 1)
            {
                // only the end of the file may hold an empty token (the space after the last one)
                var offset = tokens.Take(i).Sum(t => t.Length + 1);
                throw new RnnLabException(
                    $"{path} is not in ptb-char format: {(token.Length == 0 ? "two spaces in a row" : $"token " +
                    $"'{Shorten(token)}'")} at character {offset}; ptb-char files hold single characters separated " +
                    "by one space (drop --format ptb-char for plain text)");
            }
        }
        return plain.ToString();
    }

    private static string Shorten(string token) => token.Length > 20 ? token[..20] + "..." : token;
}

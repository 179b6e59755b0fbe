using RnnLab.Data;

namespace RnnLab.Cli.Commands.Seq2Seq;

/// <summary>Standard input as trimmed lines, blank ones included.</summary>
internal static class StandardInput
{
    // read as bytes and decoded like any input file: a byte-order mark is dropped, CRLF handled,
    // and invalid UTF-8 refused rather than replaced
    public static List<string> Lines()
    {
        if (!Console.IsInputRedirected)
        {
            return [];
        }
        using var buffer = new MemoryStream();
        Console.OpenStandardInput().CopyTo(buffer);
        if (buffer.Length == 0)
        {
            return [];
        }
        // blank lines stay (each input line has its output line); the newline that ends the text is no line
        var lines = CorpusReader.Decode("standard input", buffer.ToArray()).Text.Split('\n')
            .Select(line => line.Trim())
            .ToList();
        if (lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        return lines;
    }
}

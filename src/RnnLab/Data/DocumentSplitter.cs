using RnnLab.Configuration;

namespace RnnLab.Data;

/// <summary>Cuts a text into documents: one per line, between delimiter lines, or one per CSV row.</summary>
public static class DocumentSplitter
{
    public static IReadOnlyList<string> Split(CorpusText corpus, DataConfig data)
    {
        var documents = data.CsvColumn is { } column ? CsvColumn(corpus, column)
            : data.Delimiter is { } delimiter ? ByDelimiter(corpus.Text, delimiter)
            : corpus.Text.Split('\n').Where(line => !string.IsNullOrWhiteSpace(line)).ToList();
        if (documents.Count == 0)
        {
            throw new RnnLabException($"{corpus.Path} holds no documents (every one is empty)");
        }
        return documents;
    }

    private static List<string> ByDelimiter(string text, string delimiter)
    {
        var documents = new List<string>();
        var current = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (line == delimiter)
            {
                Flush();
            }
            else
            {
                current.Add(line);
            }
        }
        Flush();
        return documents;

        void Flush()
        {
            var document = string.Join('\n', current).Trim('\n');
            if (document.Trim().Length > 0)
            {
                documents.Add(document);
            }
            current.Clear();
        }
    }

    private static List<string> CsvColumn(CorpusText corpus, string column) =>
        CsvRows.Read(corpus.Path, corpus.Text, column)
            .Select(row => row.Values[0])
            .Where(value => value.Trim().Length > 0)
            .ToList();
}

using CsvHelper;
using CsvHelper.Configuration;
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

    private static List<string> CsvColumn(CorpusText corpus, string column)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null };
        using var reader = new CsvReader(new StringReader(corpus.Text), config);
        if (!reader.Read() || !reader.ReadHeader() || reader.HeaderRecord is not { } header)
        {
            throw new RnnLabException($"{corpus.Path} has no CSV header line");
        }
        var index = Array.IndexOf(header, column);
        if (index < 0)
        {
            throw new RnnLabException(
                $"{corpus.Path} has no column '{column}'; its columns are: {string.Join(", ", header)}");
        }
        var documents = new List<string>();
        while (reader.Read())
        {
            if (!reader.TryGetField<string>(index, out var value) || value is null)
            {
                throw new RnnLabException(
                    $"{corpus.Path}: row {reader.Parser.Row} has no value in column '{column}'");
            }
            if (value.Trim().Length > 0)
            {
                documents.Add(value);
            }
        }
        return documents;
    }
}

using CsvHelper;
using CsvHelper.Configuration;

namespace RnnLab.Data;

/// <summary>One data row of a CSV file: its row number (1 is the header) and the wanted columns' values.</summary>
public sealed record CsvRow(int Row, string[] Values, bool SpansLines);

/// <summary>
/// Reads named columns of a CSV text with a header, strictly: a row whose field count differs from
/// the header's, a stray quote, or a column named twice is refused with its row number, so that a
/// malformed file is never read as something else.
/// </summary>
public static class CsvRows
{
    public static List<CsvRow> Read(string path, string text, params string[] columns)
    {
        string? malformed = null;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = args => malformed ??= args.Field,
            DetectColumnCountChanges = false,
        };
        using var reader = new CsvReader(new StringReader(text), config);
        if (!reader.Read() || !reader.ReadHeader() || reader.HeaderRecord is not { } raw)
        {
            throw new RnnLabException($"{path} has no CSV header line");
        }
        var header = raw.Select(name => name.Trim()).ToArray();
        var indices = columns.Select(column => Column(path, header, column)).ToArray();
        var rows = new List<CsvRow>();
        while (reader.Read())
        {
            var row = reader.Parser.Row;
            var record = reader.Parser.Record ?? []; // parses every field, so bad data shows here
            var spansLines = reader.Parser.RawRecord.TrimEnd('\r', '\n').Contains('\n');
            // an odd number of quotes in a field that starts with one: the quote is never closed
            var unclosed = malformed is not null && (spansLines
                || (malformed.TrimStart().StartsWith('"') && malformed.Count(c => c == '"') % 2 == 1));
            if (unclosed)
            {
                throw new RnnLabException(
                    $"{path}: row {row} opens a quote that is not closed on its line, so the rows after it " +
                    "would be read as one field; close the quote or remove it");
            }
            if (malformed is not null)
            {
                var field = malformed.Trim();
                throw new RnnLabException(
                    $"{path}: row {row} has a malformed field ({(field.Length > 40 ? field[..40] + "..." : field)}); " +
                    "quote fields that hold commas or quotes, and double the quotes inside them");
            }
            if (record.Length != header.Length)
            {
                throw new RnnLabException(
                    $"{path}: row {row} has {record.Length} field(s) but the header has {header.Length}; quote " +
                    "fields that hold commas, and close every quote");
            }
            rows.Add(new CsvRow(row, indices.Select(i => record[i]).ToArray(), spansLines));
        }
        return rows;
    }

    private static int Column(string path, string[] header, string name)
    {
        var matches = header.Select((h, i) => (h, i)).Where(p => p.h == name).Select(p => p.i).ToArray();
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new RnnLabException(
                $"{path} has no column '{name}'; its columns are: {string.Join(", ", header.Select(h => $"'{h}'"))}"),
            _ => throw new RnnLabException(
                $"{path} has the column '{name}' {matches.Length} times (columns " +
                $"{string.Join(", ", matches.Select(i => i + 1))}); rename all but one"),
        };
    }
}

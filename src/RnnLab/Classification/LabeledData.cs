using System.Security.Cryptography;
using System.Text;
using RnnLab.Data;

namespace RnnLab.Classification;

/// <summary>One text and the index of its class.</summary>
public sealed record LabeledItem(string Text, int Label);

/// <summary>Labelled items and the class names, in a fixed (ordinal) order.</summary>
public sealed record LabeledData(IReadOnlyList<string> Classes, IReadOnlyList<LabeledItem> Items, int DuplicatesDropped,
    string DataHash)
{
    public int[] CountPerClass()
    {
        var counts = new int[Classes.Count];
        foreach (var item in Items)
        {
            counts[item.Label]++;
        }
        return counts;
    }
}

/// <summary>
/// Reads labelled text: a folder with one <c>&lt;Class&gt;.txt</c> per class and one item a line (the
/// layout of the PyTorch tutorial's names data), or a CSV file with a label and a text column.
/// </summary>
public static class LabeledDataReader
{
    /// <param name="data">Where the items are, and whether repeats are kept.</param>
    /// <param name="minimumClasses">2 to train on the data; 1 to score a trained model on it.</param>
    public static LabeledData Read(ClassifyDataConfig data, int minimumClasses = 2)
    {
        var (classes, items) = Directory.Exists(data.Path)
            ? FromFolder(data.Path, minimumClasses)
            : FromCsv(data.Path, data.LabelColumn, data.TextColumn, minimumClasses);
        var dropped = 0;
        if (!data.KeepDuplicates)
        {
            var before = items.Count;
            items = items.DistinctBy(item => (item.Text, item.Label)).ToList();
            dropped = before - items.Count;
        }
        return new LabeledData(classes, items, dropped, Hash(classes, items));
    }

    private static (string[] Classes, List<LabeledItem> Items) FromFolder(string folder, int minimumClasses)
    {
        var files = Directory.EnumerateFiles(folder, "*.txt").Order(StringComparer.Ordinal).ToArray();
        if (files.Length < minimumClasses)
        {
            throw new RnnLabException(
                $"{folder} holds {files.Length} class file(s); at least {minimumClasses} " +
                $"{(minimumClasses == 1 ? "is" : "are")} needed, named <Class>.txt, one item a line");
        }
        var classes = files.Select(f => Path.GetFileNameWithoutExtension(f)).ToArray();
        var items = new List<LabeledItem>();
        for (var label = 0; label < files.Length; label++)
        {
            var lines = ReadLines(files[label]);
            if (lines.Count == 0)
            {
                throw new RnnLabException(
                    $"class file {files[label]} holds no items (it is empty or blank); fill it or remove it");
            }
            items.AddRange(lines.Select(line => new LabeledItem(line, label)));
        }
        return (classes, items);
    }

    /// <summary>The non-blank lines of a UTF-8 file, trimmed of surrounding white space.</summary>
    public static List<string> ReadLines(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
        {
            return [];
        }
        return CorpusReader.Decode(path, bytes).Text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0)
            .ToList();
    }

    private static (string[] Classes, List<LabeledItem> Items) FromCsv(
        string path, string? labelColumn, string? textColumn, int minimumClasses)
    {
        if (!File.Exists(path))
        {
            throw new RnnLabException(
                $"data not found: {path}; pass a folder of <Class>.txt files or a CSV file");
        }
        if (labelColumn is null || textColumn is null)
        {
            throw new RnnLabException(
                $"{path} is a file: name its columns with --label-column and --text-column " +
                "(or pass a folder of <Class>.txt files)");
        }
        if (labelColumn == textColumn)
        {
            throw new RnnLabException(
                $"--label-column and --text-column are both '{labelColumn}'; name two different columns");
        }
        var corpus = CorpusReader.Decode(path, File.ReadAllBytes(path));
        var rows = new List<(string Label, string Text)>();
        foreach (var row in CsvRows.Read(path, corpus.Text, labelColumn, textColumn))
        {
            if (row.SpansLines)
            {
                // a quote left open swallows the lines after it into one record
                throw new RnnLabException(
                    $"{path}: row {row.Row} has a field that runs over several lines; items are one line each " +
                    "(is a quote left open?)");
            }
            var (label, text) = (row.Values[0].Trim(), row.Values[1].Trim());
            if (label.Length == 0)
            {
                throw new RnnLabException(
                    $"{path}: row {row.Row} has no label in column '{labelColumn}'; fill it in or delete the row");
            }
            if (text.Length == 0)
            {
                throw new RnnLabException(
                    $"{path}: row {row.Row} has no text in column '{textColumn}'; fill it in or delete the row");
            }
            rows.Add((label, text));
        }
        var classes = rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < minimumClasses)
        {
            throw new RnnLabException(
                $"{path} has {classes.Length} distinct label(s) in '{labelColumn}'; at least {minimumClasses} " +
                "are needed");
        }
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        return (classes, rows.Select(r => new LabeledItem(r.Text, index[r.Label])).ToList());
    }

    private static string Hash(string[] classes, List<LabeledItem> items)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(string.Join('\u001f', classes) + "\u001e"));
        foreach (var item in items)
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{item.Label}\u001f{item.Text}\u001e"));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

using System.Security.Cryptography;
using System.Text;
using RnnLab.Configuration;
using RnnLab.Data;

namespace RnnLab.Seq2Seq;

/// <summary>One source text and the target text it should become.</summary>
public sealed record Pair(string Source, string Target);

/// <summary>The pairs kept, and how many lines were read and dropped on the way.</summary>
public sealed record PairData(IReadOnlyList<Pair> Pairs, int LinesRead, int Filtered, string DataHash);

/// <summary>
/// Reads pairs, one a line: <c>source&lt;TAB&gt;target</c> (the layout of eng-fra.txt; columns after
/// the second are ignored) or cmudict's <c>word PH O N EMES</c>, where "word(2)" is a second
/// pronunciation of "word" and "#" starts a comment. Each side is normalised, then the filters run.
/// </summary>
public static class PairReader
{
    public static PairData Read(PairDataConfig config)
    {
        var path = config.Path;
        if (Directory.Exists(path))
        {
            throw new RnnLabException($"--data {path} is a folder; pass a file of pairs, one a line");
        }
        if (!File.Exists(path))
        {
            throw new RnnLabException($"data not found: {path}; pass a file of 'source<TAB>target' lines");
        }
        var lines = CorpusReader.Decode(path, File.ReadAllBytes(path)).Text.Split('\n');
        var format = config.Format == PairFormat.Auto ? Detect(lines) : config.Format;
        var pairs = new List<Pair>();
        var (read, reversed) = (0, 0); // reversed: pairs the filters would keep the other way round
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].TrimEnd('\r');
            var comment = format == PairFormat.Cmudict && line.StartsWith(";;;", StringComparison.Ordinal);
            if (line.Trim().Length == 0 || comment)
            {
                continue;
            }
            read++;
            var (source, target) = format == PairFormat.Cmudict ? Cmudict(path, n + 1, line) : Tsv(path, n + 1, line);
            if (config.Swap)
            {
                (source, target) = (target, source);
            }
            source = TextNormalizer.Apply(source, config.Normalization);
            target = TextNormalizer.Apply(target, config.Normalization);
            if (source.Length > 0 && target.Length > 0 && Keep(config, source, target))
            {
                pairs.Add(new Pair(source, target));
            }
            else if (config.Prefixes.Count > 0 && pairs.Count < 3 && source.Length > 0 && target.Length > 0
                && Keep(config, target, source))
            {
                reversed++;
            }
        }
        if (read == 0)
        {
            throw new RnnLabException($"{path} holds no pairs (it is empty or blank); one 'source<TAB>target' a line");
        }
        if (pairs.Count < 3)
        {
            // the prefixes are matched against the target: the right-hand column (the left with --swap)
            var fix = reversed >= 3
                ? $"the prefixes match the source side of {reversed:N0}: they are matched against the target, " +
                  (config.Swap ? "so drop --swap" : "so add --swap to translate into the prefixes' language")
                : "loosen --prefix, --max-words or --max-chars";
            throw new RnnLabException(
                $"{path}: {pairs.Count} of {read:N0} pairs pass the filters; at least 3 are needed (one per split); " +
                fix);
        }
        return new PairData(pairs, read, read - pairs.Count, Hash(pairs));
    }

    /// <summary>True when the pair passes the prefix and length filters.</summary>
    public static bool Keep(PairDataConfig config, string source, string target)
    {
        if (config.Prefixes.Count > 0 && !config.Prefixes.Any(p => target.StartsWith(p, StringComparison.Ordinal)))
        {
            return false;
        }
        if (config.MaxWords > 0 && (Words(source) > config.MaxWords || Words(target) > config.MaxWords))
        {
            return false;
        }
        return config.MaxChars == 0 || CorpusReader.Scalars(source).Length <= config.MaxChars
            && CorpusReader.Scalars(target).Length <= config.MaxChars;
    }

    private static int Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    private static PairFormat Detect(string[] lines) =>
        lines.FirstOrDefault(l => l.Trim().Length > 0)?.Contains('\t') == false ? PairFormat.Cmudict : PairFormat.Tsv;

    private static (string, string) Tsv(string path, int lineNumber, string line)
    {
        var fields = line.Split('\t');
        if (fields.Length < 2)
        {
            throw new RnnLabException(
                $"{path}: line {lineNumber} has no tab; each line is 'source<TAB>target' " +
                "(pass --format cmudict for 'word PHONEMES' lines)");
        }
        return (fields[0], fields[1]);
    }

    // "abbe(2) AE1 B IY0 # comment": the word without its variant number, the phonemes without the comment
    private static (string, string) Cmudict(string path, int lineNumber, string line)
    {
        var hash = line.IndexOf('#');
        var body = (hash >= 0 ? line[..hash] : line).Trim();
        var space = body.IndexOf(' ');
        if (space <= 0)
        {
            throw new RnnLabException(
                $"{path}: line {lineNumber} has no space between a word and its phonemes; cmudict lines read " +
                "'word PH O N EMES' (pass --format tsv for 'source<TAB>target' lines)");
        }
        var word = body[..space];
        var variant = word.IndexOf('(');
        if (variant > 0 && word.EndsWith(')'))
        {
            word = word[..variant];
        }
        return (word, body[(space + 1)..].Trim());
    }

    private static string Hash(List<Pair> pairs)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var pair in pairs)
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{pair.Source}\u001f{pair.Target}\u001e"));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

/// <summary>The three splits of a set of pairs.</summary>
public sealed record PairSplits(Pair[] Train, Pair[] Validation, Pair[] Test)
{
    /// <summary>
    /// A seeded shuffle, cut into validation, test and the rest for training (each at least one pair).
    /// </summary>
    public static PairSplits Split(IReadOnlyList<Pair> pairs, double valFraction, double testFraction, int seed)
    {
        var shuffled = pairs.ToArray();
        new Random(seed).Shuffle(shuffled);
        var validation = Math.Max(1, (int)Math.Round(shuffled.Length * valFraction));
        var test = Math.Max(1, (int)Math.Round(shuffled.Length * testFraction));
        if (shuffled.Length < validation + test + 1)
        {
            throw new RnnLabException(
                $"{shuffled.Length} pairs cannot be split into {validation} for validation, {test} for test and " +
                "at least 1 for training; add pairs or lower --val-fraction and --test-fraction");
        }
        return new PairSplits(shuffled[(validation + test)..], shuffled[..validation],
            shuffled[validation..(validation + test)]);
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RnnLab.Data;

/// <summary>
/// Characters (Unicode scalar values) to ids and back. Ids 0-3 are the special tokens; the rest are
/// the characters of the training text sorted by code point, so a vocabulary is fixed by its text.
/// </summary>
public sealed class Vocabulary
{
    public const int Pad = 0;
    public const int Bos = 1;
    public const int Eos = 2;
    public const int Unk = 3;

    public static readonly IReadOnlyList<string> Specials = ["<pad>", "<bos>", "<eos>", "<unk>"];

    private readonly int[] itos;
    private readonly int[] stoi;

    private Vocabulary(int[] scalars)
    {
        itos = scalars;
        stoi = new int[scalars.Length == 0 ? 0 : scalars.Max() + 1];
        Array.Fill(stoi, Unk);
        for (var i = 0; i < scalars.Length; i++)
        {
            stoi[scalars[i]] = Specials.Count + i;
        }
    }

    /// <summary>The characters in id order, after the special tokens.</summary>
    public IReadOnlyList<string> Characters => itos.Select(char.ConvertFromUtf32).ToArray();

    /// <summary>V: the number of ids, special tokens included.</summary>
    public int Count => Specials.Count + itos.Length;

    /// <summary>Builds the vocabulary of the characters seen at least <paramref name="minCount"/> times.</summary>
    public static Vocabulary Build(ReadOnlySpan<int> scalars, int minCount = 1) =>
        Build([scalars.ToArray()], minCount);

    /// <summary>Builds the vocabulary of several texts (documents) at once.</summary>
    public static Vocabulary Build(IEnumerable<int[]> texts, int minCount = 1)
    {
        // a dense count table for the Basic Multilingual Plane, a dictionary above it
        var basic = new int[0x10000];
        var astral = new Dictionary<int, int>();
        foreach (var text in texts)
        {
            foreach (var s in text)
            {
                if (s < basic.Length)
                {
                    basic[s]++;
                }
                else
                {
                    astral[s] = astral.GetValueOrDefault(s) + 1;
                }
            }
        }
        var kept = Enumerable.Range(0, basic.Length).Where(s => basic[s] > 0 && basic[s] >= minCount)
            .Concat(astral.Where(kv => kv.Value >= minCount).Select(kv => kv.Key));
        return new Vocabulary(kept.Order().ToArray());
    }

    /// <summary>The vocabulary of these characters (Unicode scalar values, each once).</summary>
    public static Vocabulary FromScalars(IEnumerable<int> scalars) => new(scalars.Order().ToArray());

    public static Vocabulary FromCharacters(IEnumerable<string> characters) =>
        new(characters.Select(c => char.ConvertToUtf32(c, 0)).Order().ToArray());

    public bool Contains(int scalar) => scalar < stoi.Length && stoi[scalar] != Unk;

    public int Encode(int scalar) => scalar < stoi.Length ? stoi[scalar] : Unk;

    /// <summary>The text of one id: its character, or the special token's name.</summary>
    public string Decode(int id) =>
        id < Specials.Count ? Specials[id] : char.ConvertFromUtf32(itos[id - Specials.Count]);

    /// <summary>Text of ids, dropping &lt;pad&gt;, &lt;bos&gt; and &lt;eos&gt;; &lt;unk&gt; shows as U+FFFD.</summary>
    public string DecodeText(IEnumerable<int> ids)
    {
        var builder = new StringBuilder();
        foreach (var id in ids)
        {
            if (id == Unk)
            {
                builder.Append('\uFFFD');
            }
            else if (id >= Specials.Count)
            {
                builder.Append(char.ConvertFromUtf32(itos[id - Specials.Count]));
            }
        }
        return builder.ToString();
    }

    /// <summary>The ids of <paramref name="text"/>; characters outside the vocabulary become &lt;unk&gt;.</summary>
    public int[] EncodeText(string text) => CorpusReader.Scalars(text).Select(Encode).ToArray();

    /// <summary>The distinct characters of <paramref name="text"/> that this vocabulary lacks.</summary>
    public IReadOnlyList<string> Missing(string text) =>
        CorpusReader.Scalars(text).Where(s => !Contains(s)).Distinct().Select(char.ConvertFromUtf32).ToArray();

    /// <summary>
    /// The note the inspection commands print when <paramref name="text"/> has characters this vocabulary
    /// lacks (they are read as &lt;unk&gt;, not refused), or null when it has none.
    /// </summary>
    /// <param name="reader">Who reads the text, with its verb: "the model does", "the models do".</param>
    public string? UnknownNote(string text, string reader = "the model does")
    {
        var missing = Missing(text);
        if (missing.Count == 0)
        {
            return null;
        }
        var (kinds, verb) = missing.Count == 1 ? ("kind", "is") : ("kinds", "are");
        return $"{missing.Count} {kinds} of character {reader} not know {verb} read as <unk>: " +
            string.Join(" ", missing.Take(10).Select(m => m == "\n" ? "\\n" : m));
    }

    public string ToJson() => JsonSerializer.Serialize(
        new VocabularyFile(Specials.ToArray(), itos.Select(char.ConvertFromUtf32).ToArray()),
        new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>A short hash that identifies this vocabulary (for cache keys and checkpoints).</summary>
    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())))[..16];

    public static Vocabulary FromJson(string json, string source)
    {
        VocabularyFile? file;
        try
        {
            file = JsonSerializer.Deserialize<VocabularyFile>(json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new RnnLabException($"{source}: the vocabulary is not valid JSON: {e.Message}");
        }
        if (file?.Specials is null || file.Characters is null || !file.Specials.SequenceEqual(Specials))
        {
            throw new RnnLabException(
                $"{source}: the vocabulary lacks the special tokens {string.Join(" ", Specials)}");
        }
        return FromCheckedCharacters(file.Characters, source);
    }

    /// <summary>
    /// A vocabulary from characters read from a file (vocab.json, a checkpoint's manifest): each
    /// must be exactly one Unicode scalar value, listed once, or the error names <paramref name="source"/>.
    /// </summary>
    public static Vocabulary FromCheckedCharacters(IReadOnlyList<string?> characters, string source)
    {
        foreach (var c in characters)
        {
            // a lone surrogate enumerates as one (replacement) rune, so it is checked on its own
            if (string.IsNullOrEmpty(c) || c.EnumerateRunes().Count() != 1 || char.IsSurrogate(c[0]) && c.Length == 1)
            {
                throw new RnnLabException($"{source}: vocabulary entry '{c}' is not exactly one character");
            }
        }
        if (characters.Distinct().Count() != characters.Count)
        {
            throw new RnnLabException($"{source}: the vocabulary lists a character twice");
        }
        return FromCharacters(characters!);
    }

    private sealed record VocabularyFile(string[] Specials, string[] Characters);
}

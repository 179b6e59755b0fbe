using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace RnnLab.Tests.Fuzz;

/// <summary>One edit of an input: overwrite, insert, delete, truncate, duplicate or splice in a literal.</summary>
public readonly record struct Mutation(int Kind, int Position, int Length, byte Value)
{
    /// <summary>Values that make readers and validators take their rare branches.</summary>
    public static readonly string[] Literals =
    [
        "null", "-1", "0", "1e309", "-1e309", "NaN", "9223372036854775807", "4294967296", "0.5", "\"\"", "[]",
        "{}", "true", "\"../../escape\"", "\"/etc/passwd\"", "\"\\ud800\"", "\"\\u0000\"", "[null]", "\"x\"",
        "\"lstm\"", "\"AB\"", "[\"<pad>\"]", "1e-320", "-0",
    ];

    /// <summary>One to eight mutations.</summary>
    public static readonly Gen<Mutation[]> Gen = CsCheck.Gen.Select(CsCheck.Gen.Int[0, 5],
        CsCheck.Gen.Int[0, int.MaxValue], CsCheck.Gen.Int[1, 64], CsCheck.Gen.Byte,
        (kind, position, length, value) => new Mutation(kind, position, length, value)).Array[1, 8];

    /// <summary>Leaves of a JSON document replaced by literals: one to four (leaf pick, literal pick).</summary>
    public static readonly Gen<(int Leaf, int Literal)[]> JsonGen =
        CsCheck.Gen.Select(CsCheck.Gen.Int[0, int.MaxValue], CsCheck.Gen.Int[0, Literals.Length - 1]).Array[1, 4];

    public static byte[] Apply(byte[] input, Mutation[] mutations)
    {
        var bytes = new List<byte>(input);
        foreach (var m in mutations)
        {
            var at = bytes.Count == 0 ? 0 : m.Position % bytes.Count;
            var length = Math.Min(m.Length, bytes.Count - at);
            switch (m.Kind)
            {
                case 0 when bytes.Count > 0:
                    bytes[at] = m.Value;
                    break;
                case 1:
                    bytes.InsertRange(at, Enumerable.Repeat(m.Value, m.Length));
                    break;
                case 2:
                    bytes.RemoveRange(at, length);
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 4:
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Literals[m.Value % Literals.Length]));
                    break;
            }
        }
        return bytes.ToArray();
    }

    /// <summary>The document with some leaves (values, array items) replaced by literals.</summary>
    public static string ApplyJson(string json, (int Leaf, int Literal)[] edits)
    {
        // placeholders go into the tree and the literals into the text, so that literals that are
        // not valid JSON themselves (NaN, a lone surrogate) reach the reader as written
        var root = JsonNode.Parse(json)!;
        foreach (var (leaf, literal) in edits)
        {
            var leaves = Leaves(root).ToArray();
            if (leaves.Length == 0)
            {
                break;
            }
            var (parent, key, index) = leaves[leaf % leaves.Length];
            JsonNode value = JsonValue.Create(Placeholder(literal));
            if (parent is JsonObject o)
            {
                o[key!] = value;
            }
            else
            {
                ((JsonArray)parent)[index] = value;
            }
        }
        var text = root.ToJsonString();
        for (var i = 0; i < Literals.Length; i++)
        {
            text = text.Replace($"\"{Placeholder(i)}\"", Literals[i], StringComparison.Ordinal);
        }
        return text;
    }

    private static string Placeholder(int literal) => $"@@literal-{literal}@@";

    private static IEnumerable<(JsonNode Parent, string? Key, int Index)> Leaves(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToArray())
                {
                    yield return (o, key, -1);
                    if (child is not null)
                    {
                        foreach (var leaf in Leaves(child))
                        {
                            yield return leaf;
                        }
                    }
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    yield return (a, null, i);
                    if (a[i] is { } child)
                    {
                        foreach (var leaf in Leaves(child))
                        {
                            yield return leaf;
                        }
                    }
                }
                break;
        }
    }
}

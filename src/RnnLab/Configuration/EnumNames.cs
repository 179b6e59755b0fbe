using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RnnLab.Configuration;

/// <summary>Kebab-case names for enums (<c>RnnTanh</c> is <c>rnn-tanh</c>), for flags and JSON.</summary>
public static class EnumNames
{
    public static string Name<T>(T value) where T : struct, Enum => Kebab(value.ToString());

    public static IReadOnlyList<string> All<T>() where T : struct, Enum =>
        Enum.GetValues<T>().Select(Name).ToArray();

    /// <summary>Parses a kebab-case name; the error lists the valid ones.</summary>
    public static T Parse<T>(string text, string what) where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            if (string.Equals(Name(value), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        throw new RnnLabException(
            $"unknown {what} '{text}'; valid values: {string.Join(", ", All<T>())}");
    }

    /// <summary>Kebab-case of a PascalCase name: <c>CorpusMode</c> is <c>corpus-mode</c>.</summary>
    public static string Name(string pascal) => Kebab(pascal);

    private static string Kebab(string pascal)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                builder.Append('-');
            }
            builder.Append(char.ToLowerInvariant(pascal[i]));
        }
        return builder.ToString();
    }
}

/// <summary>Reads and writes an enum as its kebab-case name.</summary>
public sealed class KebabEnumConverter<T> : JsonConverter<T> where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? "";
        var label = typeof(T).Name.Replace("Kind", "", StringComparison.Ordinal);
        return EnumNames.Parse<T>(text, EnumNames.Name(label));
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(EnumNames.Name(value));
}

namespace RnnLab.Cli.Commands;

/// <summary>Command lines printed for the user to copy, quoted as a POSIX shell reads them.</summary>
internal static class Shell
{
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '=' or ':')
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";

    /// <summary>An option and its value; one starting with '-' is joined by '=' so it is not read as a flag.</summary>
    public static string Option(string name, string value) =>
        value.StartsWith('-') ? $"{name}={Quote(value)}" : $"{name} {Quote(value)}";
}

namespace RnnLab.Tracking;

/// <summary>A key of the run registry, resolved: one of the run's own fields, or a config key.</summary>
/// <param name="Name">The field's column, or the config key as stored.</param>
/// <param name="Numeric">Whether the field holds numbers (config values carry their own kind).</param>
public sealed record RegistryKey(string Name, bool IsField, bool Numeric);

/// <summary>
/// The keys <c>rnnlab runs --where</c> and <c>--sort</c> take: the run's fields, then its config's
/// keys (<see cref="ConfigValues"/>). '-' and '_' are the same in a key, and case does not matter.
/// </summary>
public static class RegistryKeys
{
    /// <summary>The run's own fields, as named in the registry and in <c>rnnlab runs --json</c>.</summary>
    public static IReadOnlyList<string> Fields { get; } =
    [
        "name", "path", "sweep", "status", "reason", "started", "ended", "steps",
        "best_val_loss", "best_val_bpc", "final_val_loss", "final_val_bpc", "last_train_loss",
    ];

    private static readonly HashSet<string> TextFields =
        ["name", "path", "sweep", "status", "reason", "started", "ended"];

    // the short names people type: the training flags --lr and --data, and "the" validation figure
    private static readonly Dictionary<string, string> Aliases = new()
    {
        ["val_bpc"] = "best_val_bpc",
        ["val_loss"] = "best_val_loss",
        ["lr"] = "learning_rate",
        ["data"] = "data.path",
    };

    public static bool IsField(string key) => Fields.Contains(Normal(key));

    /// <summary>Resolves a key given to <paramref name="option"/>; an unknown one is refused.</summary>
    /// <param name="configKeys">The config keys there are: the defaults' and those of the indexed runs.</param>
    public static RegistryKey Resolve(string key, IReadOnlyList<string> configKeys, string option)
    {
        var wanted = Normal(key);
        wanted = Aliases.GetValueOrDefault(wanted, wanted);
        if (Fields.Contains(wanted))
        {
            return new RegistryKey(wanted, IsField: true, Numeric: !TextFields.Contains(wanted));
        }

        // a key as stored, else a dotted one by its last part: model.cell is cell
        var last = wanted[(wanted.LastIndexOf('.') + 1)..];
        var match = configKeys.FirstOrDefault(k => Normal(k) == wanted)
            ?? configKeys.FirstOrDefault(k => wanted.Contains('.') && Normal(k) == last);
        return match is not null
            ? new RegistryKey(match, IsField: false, Numeric: false)
            : throw new RnnLabException(
                $"unknown {option} key '{key}'; use a run field ({string.Join(", ", Fields)}) " +
                $"or a config key ({string.Join(", ", configKeys)})");
    }

    private static string Normal(string key) => key.Trim().ToLowerInvariant().Replace('-', '_');
}

using RnnLab.Cli.Commands;
using RnnLab.Configuration;
using RnnLab.Experiments;

namespace RnnLab.Cli.Sweeps;

/// <summary>
/// Checks each member's flags before a sweep starts, in this process: parsed as <c>rnnlab train</c>
/// parses them, laid over the defaults and validated, with the data path checked. A value train would
/// refuse ("hidden": "big") fails the sweep up front, not each member minutes later.
/// </summary>
internal static class MemberCheck
{
    /// <summary>Null when every group's flags are good, else one line per group that is not.</summary>
    public static string? Problems(SweepSpec spec)
    {
        var problems = new List<string>();
        foreach (var member in spec.Members.GroupBy(m => m.Group).Select(g => g.First()))
        {
            if (Problem(member.Args) is { } problem)
            {
                problems.Add($"'{member.Group}': {problem}");
            }
        }
        return problems.Count == 0 ? null : string.Join("\n  ", problems);
    }

    private static string? Problem(IReadOnlyList<string> args)
    {
        var app = new CommandApp<Check>();
        app.Configure(config =>
        {
            config.UseStrictParsing();
            config.PropagateExceptions();
            config.SetApplicationCulture(CultureInfo.InvariantCulture);
        });
        try
        {
            app.Run(args);
            return null;
        }
        catch (Exception e) when (e is RnnLabException or CommandParseException or CommandRuntimeException)
        {
            return Errors.Message(e, args);
        }
    }

    private sealed class Check : Command<TrainSettings>
    {
        public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancel)
        {
            var baseConfig = settings.Config is { } file ? RunConfig.FromJsonFile(file) : new RunConfig();
            var config = ConfigBuilder.Apply(baseConfig, settings);
            config.Validate();
            if (config.Data.Path.Length == 0)
            {
                throw new RnnLabException("no --data: give the training text in \"base\"");
            }
            if (!File.Exists(config.Data.Path) && !Directory.Exists(config.Data.Path))
            {
                throw new RnnLabException($"--data {config.Data.Path} not found (paths in a sweep file are relative " +
                    "to the folder the sweep runs from)");
            }
            return 0;
        }
    }
}

using System.Reflection;
using System.Text.Json;
using RnnLab.Cli.Sweeps;
using RnnLab.Configuration;
using RnnLab.Experiments;

namespace RnnLab.Cli.Commands;

public sealed class SweepSettings : CommandSettings
{
    [CommandOption("--config <FILE>"), Description("The sweep file: name, base, grid, variants, seeds")]
    public string? Config { get; init; }

    [CommandOption("--root <DIR>"), Description("Runs root; the sweep's runs go to <root>/<name>/ (default runs)")]
    public string Root { get; init; } = "runs";

    [CommandOption("--parallel <N>"), Description("Members trained at once, the cores split between them (default 1)")]
    public int Parallel { get; init; } = 1;

    [CommandOption("--plan"), Description("Print the members and what each needs, then exit")]
    public bool Plan { get; init; }

    public override ValidationResult Validate() =>
        Config is null ? ValidationResult.Error("pass the sweep file: --config sweep.json")
        : Parallel is < 1 or > 64 ? ValidationResult.Error($"--parallel must be 1 to 64 (got {Parallel})")
        : ValidationResult.Success();
}

/// <summary>
/// <c>rnnlab sweep</c>: trains every member of a sweep file, one after another or several at once,
/// each in its own run folder; run again, it continues what is unfinished.
/// </summary>
public sealed class SweepCommand : Command<SweepSettings>
{
    public override int Execute(CommandContext context, SweepSettings settings, CancellationToken cancel)
    {
        if (!File.Exists(settings.Config))
        {
            throw new RnnLabException($"sweep file not found: {settings.Config}");
        }
        var spec = SweepSpec.Parse(File.ReadAllText(settings.Config!), settings.Config!, TrainFlags());
        if (MemberCheck.Problems(spec) is { } problems)
        {
            throw new RnnLabException($"{settings.Config}: train would refuse these members' flags:\n  {problems}");
        }
        using var folder = SweepFolder.Open(settings.Root, spec, readOnly: settings.Plan);
        var work = spec.Members.Select(m => (Member: m, Work: folder.Work(m))).ToList();
        var pending = work.Where(w => w.Work is MemberWork.Start or MemberWork.Restart or MemberWork.Resume).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sweep {spec.Name}: {spec.Members.Count} runs in {folder.Path} " +
            $"({work.Count(w => w.Work == MemberWork.Done)} done, " +
            $"{work.Count(w => w.Work == MemberWork.Resume)} to resume, " +
            $"{work.Count(w => w.Work is MemberWork.Start or MemberWork.Restart)} to start)"));
        foreach (var busy in work.Where(w => w.Work == MemberWork.Busy))
        {
            Console.Error.WriteLine($"note: {busy.Member.Name} is being trained by another process; skipped");
        }
        if (settings.Plan)
        {
            foreach (var (member, need) in work)
            {
                Console.WriteLine($"{EnumNames.Name(need),-6} {member.Path}" + need switch
                {
                    MemberWork.Done => " (finished)",
                    MemberWork.Busy => " (being trained by another process)",
                    _ => ": " + string.Join(' ', folder.Arguments(member, need).Select(Shell.Quote)),
                });
            }
            return 0;
        }
        var threads = Math.Max(1, Environment.ProcessorCount / settings.Parallel);
        var runner = new SweepRunner(folder, settings.Parallel, threads);
        var outcome = runner.Run(pending.Select(p => (p.Member, p.Work)).ToList(), cancel);
        var finished = outcome.Finished + work.Count(w => w.Work == MemberWork.Done);
        Console.WriteLine($"sweep {spec.Name}: {finished} of {spec.Members.Count} finished, " +
            $"{outcome.Failed.Count} failed" +
            (cancel.IsCancellationRequested ? "; interrupted: run the same command to continue" : ""));
        foreach (var (member, why) in outcome.Failed)
        {
            var log = Path.Combine(folder.Logs, member.Path + ".log");
            Console.Error.WriteLine($"failed: {member.Name}: {why} (log: {log})");
        }
        if (outcome.Finished > 0 || work.Any(w => w.Work == MemberWork.Done))
        {
            Console.WriteLine($"next: ./rnnlab compare --sweep {Shell.Quote(spec.Name)}" +
                (settings.Root == "runs" ? "" : $" {Shell.Option("--root", settings.Root)}") +
                $" --out {Shell.Quote(spec.Name + "-report.html")}");
        }
        // members left to another process are not finished: a script must not read the sweep as done
        var left = work.Count(w => w.Work == MemberWork.Busy);
        return cancel.IsCancellationRequested ? TrainCommand.Interrupted
            : outcome.Failed.Count > 0 || left > 0 ? Errors.Failure
            : 0;
    }

    // train's long flag names, read from its settings, so the sweep file is checked before any run starts
    // (a switch is a bool option: its template names no value)
    private static Dictionary<string, bool> TrainFlags() =>
        typeof(TrainSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Option: p.GetCustomAttribute<CommandOptionAttribute>()))
            .Where(o => o.Option is not null)
            .SelectMany(o => o.Option!.LongNames.Select(name => (name, o.Property.PropertyType == typeof(bool))))
            .ToDictionary(o => o.name, o => o.Item2, StringComparer.Ordinal);
}

using RnnLab.Reports;
using RnnLab.Tracking;

namespace RnnLab.Cli.Commands;

public sealed class CompareSettings : CommandSettings
{
    [CommandArgument(0, "[RUN]"), Description("Run folders to compare; runs whose configs differ only in the seed " +
        "form a group")]
    public string[] Runs { get; init; } = [];

    [CommandOption("--sweep <NAME>"), Description("...or every run of a sweep, as <root>/<NAME>/sweep.json lists them")]
    public string? Sweep { get; init; }

    [CommandOption("--root <DIR>"), Description("The folder that holds the sweep (default runs)")]
    public string Root { get; init; } = "runs";

    [CommandOption("--out <FILE>"), Description("A new HTML file for the report (nothing is overwritten)")]
    public string? Out { get; init; }

    [CommandOption("--png <DIR>"), Description("Also a new folder of PNG plots: val-bpc.png, train-loss.png, " +
        "best-val-bpc.png")]
    public string? Png { get; init; }

    public override ValidationResult Validate() =>
        (Runs.Length > 0) == (Sweep is not null)
            ? ValidationResult.Error("pass the runs to compare: run folders, or --sweep NAME (one of them)")
            : Sweep is not null && string.IsNullOrWhiteSpace(Sweep) ? ValidationResult.Error("--sweep needs the " +
                "sweep's name (the folder under --root that holds sweep.json)")
            : string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("pass --out FILE, a new HTML file for the report")
            : ValidationResult.Success();
}

/// <summary><c>rnnlab compare</c>: curves, config differences, figures over seeds and samples, on one page.</summary>
public sealed class CompareCommand : Command<CompareSettings>
{
    public override int Execute(CommandContext context, CompareSettings settings, CancellationToken cancel)
    {
        // refused before any run is read, so a taken name costs nothing
        var output = settings.Out!;
        if (File.Exists(output) || Directory.Exists(output))
        {
            throw new RnnLabException($"{output} already exists; pass a new --out (nothing is overwritten)");
        }
        if (settings.Png is { } png)
        {
            var plots = Path.TrimEndingDirectorySeparator(Path.GetFullPath(png));
            if (File.Exists(png) || Directory.Exists(png))
            {
                throw new RnnLabException($"--png {png} already exists; pass a new folder for the plots " +
                    "(rnnlab creates it)");
            }
            var report = Path.GetFullPath(output);
            if (report == plots)
            {
                throw new RnnLabException($"--out and --png both name {png}; pass a file and a folder apart");
            }
            if (report.StartsWith(plots + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new RnnLabException($"--out {output} is inside the --png folder {png}, which rnnlab " +
                    "creates whole; put the report elsewhere");
            }
        }

        var comparison = settings.Sweep is { } sweep
            ? Comparison.OfSweep(settings.Root, sweep)
            : Comparison.OfRuns(settings.Runs);
        // the plots first: they are staged, so a --png that cannot be written fails before the report exists
        IReadOnlyList<string> files = [];
        if (settings.Png is { } folder)
        {
            StagedFolder.Publish(folder, "plots", staging => files = ComparePlots.Write(staging, comparison), cancel);
        }
        CompareReport.Write(output, comparison);
        var missing = comparison.Missing.Count > 0 ? $", {comparison.Missing.Count} missing or not started" : "";
        Console.WriteLine($"compared {CompareReport.Count(comparison.Runs.Count, "run")} in " +
            $"{CompareReport.Count(comparison.Groups.Count, "group")}{missing}; wrote {output}");
        if (settings.Png is not null)
        {
            Console.WriteLine($"wrote {settings.Png}: " + string.Join(", ", files.Select(Path.GetFileName)));
        }
        return 0;
    }
}

using System.Runtime.InteropServices;
using RnnLab.Experiments;
using RnnLab.Tracking;

namespace RnnLab.Cli.Sweeps;

/// <summary>How a sweep invocation went.</summary>
internal sealed record SweepOutcome(int Finished, IReadOnlyList<(SweepMember Member, string Why)> Failed);

/// <summary>
/// Runs members as child processes, at most <c>parallel</c> at a time, with an overall progress bar
/// and one bar per running member on a terminal, and a line per start and end otherwise. Ctrl-C
/// stops every member with SIGTERM (each saves) and waits for them.
/// </summary>
internal sealed class SweepRunner(SweepFolder folder, int parallel, int threads)
{
    private readonly bool interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public SweepOutcome Run(IReadOnlyList<(SweepMember Member, MemberWork Work)> pending, CancellationToken cancel)
    {
        if (!interactive)
        {
            return RunAll(pending, null, cancel);
        }
        SweepOutcome outcome = null!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn())
            .Start(context => outcome = RunAll(pending, context, cancel));
        return outcome;
    }

    private SweepOutcome RunAll(IReadOnlyList<(SweepMember Member, MemberWork Work)> pending,
        ProgressContext? context, CancellationToken cancel)
    {
        // a second Ctrl-C or SIGTERM ends this process: it ends the members too, or they would train on
        // with no sweep to watch them (kill -9 of the sweep still leaves them; a rerun then waits for them)
        var active = new List<(SweepMember Member, MemberProcess Process, ProgressTask? Task)>();
        var firstStop = new System.Diagnostics.Stopwatch();
        void Forward()
        {
            if (!cancel.IsCancellationRequested || !firstStop.IsRunning)
            {
                firstStop.Start();
                return;
            }
            if (firstStop.Elapsed >= TimeSpan.FromSeconds(1))
            {
                lock (active)
                {
                    active.ForEach(a => a.Process.End());
                }
            }
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Forward());
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Forward());
        var overall = context?.AddTask($"sweep: {pending.Count} runs", maxValue: Math.Max(1, pending.Count));
        var queue = new Queue<(SweepMember Member, MemberWork Work)>(pending);
        var failed = new List<(SweepMember, string)>();
        var finished = 0;
        var done = 0;
        var started = 0;
        while (queue.Count > 0 || active.Count > 0)
        {
            while (!cancel.IsCancellationRequested && active.Count < parallel && queue.TryDequeue(out var next))
            {
                if (next.Work == MemberWork.Restart)
                {
                    folder.SetAside(next.Member);
                }
                var args = folder.Arguments(next.Member, next.Work);
                var process = MemberProcess.Start(args, Path.Combine(folder.Logs, next.Member.Path + ".log"), threads,
                    SweepFolder.TimeLimit(args));
                var verb = next.Work == MemberWork.Resume ? "resuming" : "starting";
                lock (active)
                {
                    active.Add((next.Member, process, context?.AddTask($"{next.Member.Name}", maxValue: 1000)));
                }
                Line($"{verb} {next.Member.Name} ({++started} of {pending.Count})");
            }
            if (cancel.IsCancellationRequested)
            {
                queue.Clear();
                active.ForEach(a => a.Process.Stop());
            }
            Thread.Sleep(200);
            foreach (var entry in active.ToList())
            {
                var (member, process, task) = entry;
                if (task is not null)
                {
                    task.Value = Fraction(process) * 1000;
                }
                if (!process.HasExited)
                {
                    continue;
                }
                var code = process.WaitAsync().GetAwaiter().GetResult();
                var status = RunStatus.Read(folder.RunPath(member));
                done++;
                if (code == 0 && status is { State: RunState.Finished })
                {
                    finished++;
                    Line($"[{done}/{pending.Count} ended] finished {member.Name}: {Summary(folder.RunPath(member))}");
                }
                else if (code == Commands.TrainCommand.Interrupted || cancel.IsCancellationRequested)
                {
                    Line($"[{done}/{pending.Count} ended] stopped {member.Name} (saved; the next sweep resumes it)");
                }
                else
                {
                    var why = process.LastError.Length > 0 ? process.LastError : $"exit code {code}";
                    failed.Add((member, why));
                    Line($"[{done}/{pending.Count} ended] FAILED {member.Name}: {why}");
                }
                overall?.Increment(1);
                task?.StopTask();
                process.Dispose();
                lock (active)
                {
                    active.Remove(entry);
                }
            }
        }
        return new SweepOutcome(finished, failed);

        void Line(string text)
        {
            if (context is null)
            {
                Console.WriteLine(text);
            }
            else
            {
                AnsiConsole.MarkupLine(Markup.Escape(text));
            }
        }
    }

    private static double Fraction(MemberProcess process)
    {
        var (step, total) = process.Step;
        var bySteps = total is > 0 ? (double)step / total.Value : 0;
        var byTime = process.TimeLimit is > 0 ? process.Clock.Elapsed.TotalSeconds / process.TimeLimit.Value : 0;
        return Math.Clamp(Math.Max(bySteps, byTime), 0, 1);
    }

    // the best validation bits per character in a finished run's log
    private static string Summary(string run) =>
        RunSummary.Read(run, Path.GetFileName(run)).BestValBpc is { } best
            ? string.Create(CultureInfo.InvariantCulture, $"best val bpc {best:F3}")
            : "no evaluation";
}

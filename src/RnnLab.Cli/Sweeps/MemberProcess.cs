using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace RnnLab.Cli.Sweeps;

/// <summary>
/// One member's <c>rnnlab train</c> running as a child process: its output appended to a log file
/// and read for progress, its threads capped so parallel members share the cores, and stopped with
/// SIGTERM, which makes train save and exit like Ctrl-C does.
/// </summary>
internal sealed partial class MemberProcess : IDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Lock gate = new();
    private readonly Task output;
    private readonly Task errors;
    private string lastError = "";
    private bool stopping;

    private MemberProcess(Process process, StreamWriter log, double? timeLimit)
    {
        this.process = process;
        this.log = log;
        TimeLimit = timeLimit;
        Clock = Stopwatch.StartNew();
        output = Pump(process.StandardOutput, isError: false);
        errors = Pump(process.StandardError, isError: true);
    }

    public Stopwatch Clock { get; }

    public double? TimeLimit { get; }

    /// <summary>The last "step N/M" the member printed (M when known).</summary>
    public (long Step, long? Total) Step { get; private set; }

    /// <summary>The last line the member wrote to stderr: why it failed, when it did.</summary>
    public string LastError
    {
        get
        {
            lock (gate)
            {
                return lastError;
            }
        }
    }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public static MemberProcess Start(IReadOnlyList<string> args, string logPath, int threads, double? timeLimit)
    {
        var start = Self();
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        // libtorch's OpenMP pool reads these at start: parallel members must not each take every core
        start.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        start.Environment["MKL_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        log.WriteLine($"$ rnnlab {string.Join(' ', args.Select(Commands.Shell.Quote))}");
        return new MemberProcess(Process.Start(start)!, log, timeLimit);
    }

    /// <summary>Asks the member to stop: SIGTERM, on which train saves a checkpoint and exits.</summary>
    public void Stop()
    {
        // once only: a second SIGTERM tells train to end at once, without saving
        if (!stopping && !process.HasExited)
        {
            stopping = true;
            _ = Kill(process.Id, Sigterm);
        }
    }

    /// <summary>Ends the member without waiting for a save: a second SIGTERM, as a second Ctrl-C does.</summary>
    public void End()
    {
        if (!process.HasExited)
        {
            _ = Kill(process.Id, Sigterm);
        }
    }

    public async Task<int> WaitAsync()
    {
        await process.WaitForExitAsync();
        await Task.WhenAll(output, errors);
        return process.ExitCode;
    }

    public void Dispose()
    {
        process.Dispose();
        log.Dispose();
    }

    // this program again: the apphost, or dotnet with the CLI's assembly
    private static ProcessStartInfo Self()
    {
        var host = Environment.ProcessPath!;
        if (!Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return new ProcessStartInfo(host);
        }
        var start = new ProcessStartInfo(host);
        start.ArgumentList.Add(typeof(MemberProcess).Assembly.Location);
        return start;
    }

    private async Task Pump(StreamReader reader, bool isError)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (gate)
            {
                log.WriteLine(line);
                if (isError && line.Trim().Length > 0)
                {
                    lastError = line.Trim();
                }
            }
            if (!isError && StepLine().Match(line) is { Success: true } match)
            {
                Step = (long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                    match.Groups[2].Success ? long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : null);
            }
        }
    }

    [GeneratedRegex(@"^step (\d+)(?:/(\d+))? \|")]
    private static partial Regex StepLine();

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}

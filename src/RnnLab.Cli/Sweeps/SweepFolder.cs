using System.Text.Json;
using System.Text.Json.Nodes;
using RnnLab.Checkpoints;
using RnnLab.Configuration;
using RnnLab.Experiments;
using RnnLab.Tracking;

namespace RnnLab.Cli.Sweeps;

/// <summary>What a member needs in this invocation of the sweep.</summary>
internal enum MemberWork
{
    Done,
    Start,

    /// <summary>Start again: a folder without a checkpoint (killed before its first save) is set aside.</summary>
    Restart,
    Resume,

    /// <summary>A train process outside this sweep holds the folder.</summary>
    Busy,
}

/// <summary>
/// A sweep's folder, &lt;root&gt;/&lt;name&gt;/: sweep.json (the plan: each member's name, group, seed,
/// folder and flags), one run folder per member, logs/ with each member's output, and a lock so two
/// processes never run one sweep at once.
/// </summary>
internal sealed class SweepFolder : IDisposable
{
    public const string PlanFile = "sweep.json";

    private readonly FileStream? lockStream;

    private SweepFolder(string path, FileStream? lockStream)
    {
        Path = path;
        this.lockStream = lockStream;
    }

    public string Path { get; }

    public string Logs => System.IO.Path.Combine(Path, "logs");

    public string RunPath(SweepMember member) => System.IO.Path.Combine(Path, member.Path);

    /// <summary>Opens (or creates) <paramref name="spec"/>'s folder; refuses one that holds another plan.</summary>
    /// <param name="readOnly">Only look (for --plan): create nothing, write no plan.</param>
    public static SweepFolder Open(string root, SweepSpec spec, bool readOnly = false)
    {
        var path = System.IO.Path.Combine(root, spec.Name);
        if (Directory.Exists(path) && !File.Exists(System.IO.Path.Combine(path, PlanFile))
            && Directory.EnumerateFileSystemEntries(path).Any())
        {
            throw new RnnLabException($"{path} exists and was not made by rnnlab sweep (it has no {PlanFile}); " +
                "give the sweep another \"name\", or pass another --root");
        }
        if (readOnly)
        {
            var look = new SweepFolder(path, null);
            look.CheckOrWritePlan(spec, write: false);
            return look;
        }
        try
        {
            Directory.CreateDirectory(System.IO.Path.Combine(path, "logs"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RnnLabException($"cannot create the sweep folder {path}: {e.Message}; pass another --root");
        }
        FileStream lockStream;
        try
        {
            lockStream = new FileStream(System.IO.Path.Combine(path, ".sweep.lock"), FileMode.OpenOrCreate,
                FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            throw new RnnLabException($"sweep {path} is being run by another rnnlab process; wait for it to finish");
        }
        var folder = new SweepFolder(path, lockStream);
        try
        {
            folder.CheckOrWritePlan(spec);
            return folder;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>What <paramref name="member"/> needs: nothing, a new run, or a resume from its checkpoint.</summary>
    public MemberWork Work(SweepMember member)
    {
        var run = RunPath(member);
        if (!Directory.Exists(run))
        {
            return MemberWork.Start;
        }
        var status = RunStatus.Read(run);
        if (status is { State: RunState.Finished })
        {
            return MemberWork.Done;
        }
        // a member of an earlier sweep that was killed may still be training: its folder is its own
        if (status is { State: RunState.Running } || RunFolder.IsLocked(run))
        {
            return MemberWork.Busy;
        }
        return File.Exists(System.IO.Path.Combine(run, RunFolder.LastCheckpoint))
            ? MemberWork.Resume
            : MemberWork.Restart;
    }

    /// <summary>Moves a member's folder that holds no checkpoint aside (hidden, kept), so it can start again.</summary>
    public void SetAside(SweepMember member)
    {
        var aside = System.IO.Path.Combine(Path,
            $".{member.Path}.abandoned-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        Directory.Move(RunPath(member), aside);
    }

    /// <summary>The train flags for this invocation: a new run into its folder, or a resume of it.</summary>
    public IReadOnlyList<string> Arguments(SweepMember member, MemberWork work)
    {
        var run = RunPath(member);
        if (work is MemberWork.Start or MemberWork.Restart)
        {
            return ["train", .. member.Args, "--name", SweepSpec.FolderName(member.Group), "--out", run];
        }
        // a resumed member gets what is left of its time budget, not a whole new one
        var limit = TimeLimit(member.Args);
        if (limit is null)
        {
            return ["train", "--resume", run];
        }
        double spent;
        try
        {
            var checkpoint = Checkpoint.Load(System.IO.Path.Combine(run, RunFolder.LastCheckpoint));
            spent = checkpoint.Manifest.Progress.TrainSeconds;
        }
        catch (RnnLabException)
        {
            return ["train", "--resume", run]; // a damaged checkpoint: train says so, and only this member fails
        }
        var left = Math.Max(1, Math.Ceiling(limit.Value - spent));
        return ["train", "--resume", run, "--time-limit", left.ToString(CultureInfo.InvariantCulture)];
    }

    public void Dispose() => lockStream?.Dispose();

    /// <summary>The --time-limit among <paramref name="args"/>, in seconds, or null.</summary>
    public static double? TimeLimit(IReadOnlyList<string> args)
    {
        var at = args.ToList().LastIndexOf("--time-limit");
        return at >= 0 && at + 1 < args.Count ? Duration.ParseSeconds(args[at + 1], "time-limit") : null;
    }

    private void CheckOrWritePlan(SweepSpec spec, bool write = true)
    {
        var file = System.IO.Path.Combine(Path, PlanFile);
        var runs = new JsonArray(spec.Members.Select(m => (JsonNode)new JsonObject
        {
            ["name"] = m.Name, ["group"] = m.Group, ["seed"] = m.Seed, ["path"] = m.Path,
            ["args"] = new JsonArray(m.Args.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
        }).ToArray());
        if (File.Exists(file))
        {
            JsonNode? saved;
            try
            {
                saved = JsonNode.Parse(RunFiles.ReadText(file));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                saved = null;
            }
            if (saved?["runs"] is JsonArray savedRuns)
            {
                if (!JsonNode.DeepEquals(savedRuns, runs))
                {
                    throw new RnnLabException($"{Path} holds a different sweep (its {PlanFile} lists other " +
                        "members or flags); give the changed sweep a new \"name\", or move that folder away");
                }
                return;
            }
            // damaged (a disk filled up, an editor): nothing says whether the finished runs beside it
            // were trained with this file's flags, so they are not adopted
            throw new RnnLabException($"{file} is damaged (not a sweep plan), so the runs in {Path} cannot be " +
                "matched to this sweep file; restore it, or move that folder away and run the sweep again");
        }
        if (!write)
        {
            return;
        }
        var plan = new JsonObject
        {
            ["name"] = spec.Name,
            ["created"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            ["runs"] = runs,
            ["spec"] = JsonNode.Parse(spec.Json, documentOptions: new JsonDocumentOptions
            {
                AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip,
            }),
        };
        AtomicFile.WriteText(file, plan.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}

using RnnLab.Configuration;

namespace RnnLab.Cli.Commands;

/// <summary>
/// The exposure flags of <c>rnnlab train</c>: teacher forcing, scheduled sampling or Professor
/// Forcing, and the diagnostics that compare them; each one given overrides the base config.
/// </summary>
public abstract class ExposureSettings : OptimizerSettings
{
    [CommandOption("--exposure <MODE>")]
    [Description("teacher (default), scheduled (scheduled sampling) or professor (Professor Forcing)")]
    public string? Exposure { get; init; }

    [CommandOption("--exposure-schedule <SHAPE>")]
    [Description("Scheduled sampling: linear (default), exponential or inverse-sigmoid growth of p")]
    public string? ExposureSchedule { get; init; }

    [CommandOption("--exposure-k <STEPS>")]
    [Description("The schedule's scale in optimizer steps (default 1000; see README)")]
    public double? ExposureK { get; init; }

    [CommandOption("--exposure-max <P>")]
    [Description("Scheduled sampling: the largest probability of reading the model's own sample (default 0.25)")]
    public double? ExposureMax { get; init; }

    [CommandOption("--free-running <HOW>")]
    [Description("How a free-running or scheduled pass picks its next input: sample (default) or greedy")]
    public string? FreeRunning { get; init; }

    [CommandOption("--professor-weight <W>")]
    [Description("Professor Forcing: weight of the term making free-running look teacher-forced (default 0.5)")]
    public double? ProfessorWeight { get; init; }

    [CommandOption("--professor-teacher-weight <W>")]
    [Description("Professor Forcing: weight of the optional term on the teacher-forced side (default 0)")]
    public double? ProfessorTeacherWeight { get; init; }

    [CommandOption("--professor-rows <N>")]
    [Description("Professor Forcing: rows of each batch that also run free, the first ones (default 0: all)")]
    public int? ProfessorRows { get; init; }

    [CommandOption("--professor-every <K>")]
    [Description("Professor Forcing: free run and discriminator every K-th step, teacher forcing between (default 1)")]
    public int? ProfessorEvery { get; init; }

    [CommandOption("--discriminator-hidden <D>")]
    [Description("Professor Forcing: the discriminator's GRU width per direction and MLP width (default 128)")]
    public int? DiscriminatorHidden { get; init; }

    [CommandOption("--discriminator-lr <RATE>")]
    [Description("Professor Forcing: the discriminator's Adam learning rate (default 0.001)")]
    public double? DiscriminatorLr { get; init; }

    [CommandOption("--discriminator-outputs")]
    [Description("Professor Forcing: the discriminator also reads the output distributions, not only h_t")]
    public bool DiscriminatorOutputs { get; init; }

    [CommandOption("--generator-gate <ACC>")]
    [Description("Professor Forcing: no adversarial generator update below this running accuracy (default 0.75)")]
    public double? GeneratorGate { get; init; }

    [CommandOption("--discriminator-gate <ACC>")]
    [Description("Professor Forcing: no discriminator update above this running accuracy (default 0.99)")]
    public double? DiscriminatorGate { get; init; }

    [CommandOption("--gate-decay <D>")]
    [Description("Decay of the running accuracy's average per adversarial step (default 0.95)")]
    public double? GateDecay { get; init; }

    [CommandOption("--exposure-diagnostics")]
    [Description("Hidden-state distance, repetition and novelty at each evaluation (on for scheduled, professor)")]
    public bool ExposureDiagnostics { get; init; }

    [CommandOption("--diagnostic-length <N>")]
    [Description("Characters of the sample for repetition and novelty (default 2000)")]
    public int? DiagnosticLength { get; init; }

    [CommandOption("--diagnostic-windows <N>")]
    [Description("Validation windows compared teacher-forced against free-running (default 4)")]
    public int? DiagnosticWindows { get; init; }

    [CommandOption("--ngram <N>"), Description("n of the n-grams for repetition and novelty, 1 to 4 (default 4)")]
    public int? NGram { get; init; }

    /// <summary>
    /// Lays the exposure flags that were given over <paramref name="config"/>; a flag of one mode given
    /// with another is refused (it would be written into config.json and do nothing).
    /// </summary>
    public ExposureConfig ApplyTo(ExposureConfig config)
    {
        var result = Merge(config);
        Refuse(result.Mode, Configuration.Exposure.Professor, [
            ("--professor-weight", ProfessorWeight is not null),
            ("--professor-teacher-weight", ProfessorTeacherWeight is not null),
            ("--professor-rows", ProfessorRows is not null), ("--professor-every", ProfessorEvery is not null),
            ("--discriminator-hidden", DiscriminatorHidden is not null),
            ("--discriminator-lr", DiscriminatorLr is not null),
            ("--discriminator-outputs", DiscriminatorOutputs), ("--generator-gate", GeneratorGate is not null),
            ("--discriminator-gate", DiscriminatorGate is not null), ("--gate-decay", GateDecay is not null),
        ]);
        Refuse(result.Mode, Configuration.Exposure.Scheduled, [
            ("--exposure-schedule", ExposureSchedule is not null), ("--exposure-k", ExposureK is not null),
            ("--exposure-max", ExposureMax is not null),
        ]);
        return result;
    }

    private static void Refuse(
        Configuration.Exposure mode,
        Configuration.Exposure needed,
        (string Flag, bool Given)[] flags)
    {
        var given = flags.Where(f => f.Given).Select(f => f.Flag).ToArray();
        if (mode != needed && given.Length > 0)
        {
            var name = EnumNames.Name(needed);
            throw new RnnLabException($"{string.Join(", ", given)} only {(given.Length == 1 ? "acts" : "act")} " +
                $"with --exposure {name} (this run is {EnumNames.Name(mode)}); add --exposure {name}, or leave " +
                $"{(given.Length == 1 ? "it" : "them")} out");
        }
    }

    private ExposureConfig Merge(ExposureConfig config) => config with
    {
        Mode = Exposure is { } mode ? EnumNames.Parse<Exposure>(mode, "--exposure") : config.Mode,
        Schedule = ExposureSchedule is { } shape
            ? EnumNames.Parse<ExposureSchedule>(shape, "--exposure-schedule")
            : config.Schedule,
        K = ExposureK ?? config.K,
        MaxProbability = ExposureMax ?? config.MaxProbability,
        FreeRunning = FreeRunning is { } how ? EnumNames.Parse<FreeRunning>(how, "--free-running") : config.FreeRunning,
        AdversarialWeight = ProfessorWeight ?? config.AdversarialWeight,
        TeacherWeight = ProfessorTeacherWeight ?? config.TeacherWeight,
        ProfessorRows = ProfessorRows ?? config.ProfessorRows,
        ProfessorEvery = ProfessorEvery ?? config.ProfessorEvery,
        DiscriminatorHidden = DiscriminatorHidden ?? config.DiscriminatorHidden,
        DiscriminatorLearningRate = DiscriminatorLr ?? config.DiscriminatorLearningRate,
        DiscriminatorOutputs = DiscriminatorOutputs || config.DiscriminatorOutputs,
        GeneratorGate = GeneratorGate ?? config.GeneratorGate,
        DiscriminatorGate = DiscriminatorGate ?? config.DiscriminatorGate,
        AccuracyDecay = GateDecay ?? config.AccuracyDecay,
        Diagnostics = ExposureDiagnostics || config.Diagnostics,
        DiagnosticLength = DiagnosticLength ?? config.DiagnosticLength,
        DiagnosticWindows = DiagnosticWindows ?? config.DiagnosticWindows,
        NGram = NGram ?? config.NGram,
    };
}

using System.Text.Json.Serialization;

namespace RnnLab.Configuration;

// the JSON keys are the flags' names: "mode", "schedule" and "k" alone would clash with other
// sections' keys where configs are flattened (the run registry, compare)

/// <summary>
/// Exposure to the model's own mistakes: teacher forcing, scheduled sampling (Bengio et al. 2015) or
/// Professor Forcing (Lamb, Goyal et al. 2016), and the diagnostics that compare them.
/// </summary>
public sealed record ExposureConfig
{
    [JsonPropertyName("exposure")]
    public Exposure Mode { get; init; } = Exposure.Teacher;

    /// <summary>Scheduled sampling: how the probability of reading the model's own sample grows.</summary>
    [JsonPropertyName("exposure-schedule")]
    public ExposureSchedule Schedule { get; init; } = ExposureSchedule.Linear;

    /// <summary>
    /// The schedule's scale in optimizer steps: linear reaches the maximum at step K, exponential is
    /// 1 - e^(-step/K), inverse-sigmoid is 1 - K / (K + e^(step/K)) (Bengio et al.'s form).
    /// </summary>
    [JsonPropertyName("exposure-k")]
    public double K { get; init; } = 1000;

    /// <summary>Scheduled sampling: the probability the schedule is scaled to (its value at the end).</summary>
    [JsonPropertyName("exposure-max")]
    public double MaxProbability { get; init; } = 0.25;

    /// <summary>How a free-running pass picks its next input: a sample of the softmax, or the argmax.</summary>
    [JsonPropertyName("free-running")]
    public FreeRunning FreeRunning { get; init; } = FreeRunning.Sample;

    /// <summary>Professor Forcing: weight of the term that makes free-running behaviour look teacher-forced.</summary>
    [JsonPropertyName("professor-weight")]
    public double AdversarialWeight { get; init; } = 0.5;

    /// <summary>Professor Forcing: weight of the optional term that makes teacher-forced behaviour look
    /// free-running (0: off, as in the paper's main experiments).</summary>
    [JsonPropertyName("professor-teacher-weight")]
    public double TeacherWeight { get; init; }

    /// <summary>
    /// Professor Forcing: rows of each batch that also run free (the first ones; 0: all). Free running
    /// goes one step per call, the slow part of a step; fewer rows keep more of the time budget for
    /// teacher-forced learning.
    /// </summary>
    [JsonPropertyName("professor-rows")]
    public int ProfessorRows { get; init; }

    /// <summary>
    /// Professor Forcing: the free run and the discriminator take part every K-th optimizer step (the
    /// first, then every K after it; 1: every step, as in the paper). The steps between are plain
    /// teacher forcing at its speed, so under a time budget more of it goes to likelihood.
    /// </summary>
    [JsonPropertyName("professor-every")]
    public int ProfessorEvery { get; init; } = 1;

    /// <summary>The discriminator's bidirectional GRU width (each direction) and MLP width.</summary>
    [JsonPropertyName("discriminator-hidden")]
    public int DiscriminatorHidden { get; init; } = 128;

    [JsonPropertyName("discriminator-lr")]
    public double DiscriminatorLearningRate { get; init; } = 1e-3;

    /// <summary>The behaviour sequence also holds the output distributions (softmax), not only h_t.</summary>
    [JsonPropertyName("discriminator-outputs")]
    public bool DiscriminatorOutputs { get; init; }

    /// <summary>No adversarial generator update while the discriminator's running accuracy is below this.</summary>
    [JsonPropertyName("generator-gate")]
    public double GeneratorGate { get; init; } = 0.75;

    /// <summary>No discriminator update while its running accuracy is above this.</summary>
    [JsonPropertyName("discriminator-gate")]
    public double DiscriminatorGate { get; init; } = 0.99;

    /// <summary>The running accuracy is an exponential average with this decay per adversarial step.</summary>
    [JsonPropertyName("gate-decay")]
    public double AccuracyDecay { get; init; } = 0.95;

    /// <summary>
    /// Diagnostics at each evaluation (teacher/free-running hidden-state distance, repetition and
    /// novelty of a long sample); always on for scheduled sampling and Professor Forcing.
    /// </summary>
    [JsonPropertyName("exposure-diagnostics")]
    public bool Diagnostics { get; init; }

    /// <summary>Characters of the free-running sample whose n-grams are counted.</summary>
    [JsonPropertyName("diagnostic-length")]
    public int DiagnosticLength { get; init; } = 2000;

    /// <summary>Validation windows whose hidden states are compared, teacher-forced against free-running.</summary>
    [JsonPropertyName("diagnostic-windows")]
    public int DiagnosticWindows { get; init; } = 4;

    /// <summary>n of the n-grams for repetition and novelty.</summary>
    [JsonPropertyName("ngram")]
    public int NGram { get; init; } = 4;

    /// <summary>Whether evaluations compute the diagnostics.</summary>
    [JsonIgnore]
    public bool DiagnosticsOn => Diagnostics || Mode != Exposure.Teacher;

    public void Validate()
    {
        Check.Above("exposure-k", K, 0, 1e12);
        Check.Range("exposure-max", MaxProbability, 0, 1);
        Check.Range("professor-weight", AdversarialWeight, 0, 1e6);
        Check.Range("professor-teacher-weight", TeacherWeight, 0, 1e6);
        Check.Range("professor-rows", ProfessorRows, 0, 65_536);
        Check.Range("professor-every", ProfessorEvery, 1, 1_000_000);
        Check.Range("discriminator-hidden", DiscriminatorHidden, 1, 65_536);
        Check.Above("discriminator-lr", DiscriminatorLearningRate, 0, 10);
        Check.Range("generator-gate", GeneratorGate, 0, 1);
        Check.Range("discriminator-gate", DiscriminatorGate, 0, 1);
        Check.Range("gate-decay", AccuracyDecay, 0, 1);
        if (AccuracyDecay >= 1)
        {
            throw new RnnLabException(FormattableString.Invariant(
                $"--gate-decay {AccuracyDecay} would hold the running accuracy at 0.5 for ever; pass a decay below 1"));
        }
        Check.Range("diagnostic-length", DiagnosticLength, 0, 1_000_000);
        Check.Range("diagnostic-windows", DiagnosticWindows, 1, 1_000_000);
        Check.Range("ngram", NGram, 1, 4);
        if (GeneratorGate > DiscriminatorGate)
        {
            throw new RnnLabException(FormattableString.Invariant(
                $"--generator-gate {GeneratorGate} is above --discriminator-gate {DiscriminatorGate}; ") +
                "the generator's gate must not be above the discriminator's");
        }
    }
}

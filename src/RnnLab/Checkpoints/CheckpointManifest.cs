using RnnLab.Configuration;
using RnnLab.Training;

namespace RnnLab.Checkpoints;

/// <summary>The JSON part of a checkpoint: what the weights are, and where training stood.</summary>
public sealed record CheckpointManifest
{
    public const string FormatName = CheckpointArchive.LanguageModelFormat;

    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;

    public int Version { get; init; } = CurrentVersion;

    public DateTimeOffset Created { get; init; }

    public RunConfig Config { get; init; } = new();

    /// <summary>The vocabulary's characters in id order, after the special tokens.</summary>
    public IReadOnlyList<string> Vocabulary { get; init; } = [];

    /// <summary>SHA-256 of the training file's bytes.</summary>
    public string DataHash { get; init; } = "";

    /// <summary>Class names in label order, for a model conditioned on a class; null otherwise.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    public TrainingProgress Progress { get; init; } = new();

    public ScheduleState Schedule { get; init; } = new();

    public double? ValidationLoss { get; init; }

    /// <summary>SHA-256 of each binary entry, checked on load.</summary>
    public Dictionary<string, string> Entries { get; init; } = [];
}

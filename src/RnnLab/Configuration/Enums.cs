using System.Text.Json.Serialization;

namespace RnnLab.Configuration;

/// <summary>
/// The recurrent cell: libtorch's fused modules, or (classifiers only) the diary's hand-built Elman
/// cell, two linear layers over the input and the previous hidden state concatenated.
/// </summary>
[JsonConverter(typeof(KebabEnumConverter<CellKind>))]
public enum CellKind { RnnTanh, RnnRelu, Lstm, Gru, Elman }

/// <summary>How the corpus becomes training sequences.</summary>
[JsonConverter(typeof(KebabEnumConverter<CorpusMode>))]
public enum CorpusMode { Stream, Documents }

[JsonConverter(typeof(KebabEnumConverter<OptimizerKind>))]
public enum OptimizerKind { Sgd, Adam, Adamw, Rmsprop }

[JsonConverter(typeof(KebabEnumConverter<ScheduleKind>))]
public enum ScheduleKind { Constant, Step, Cosine, Plateau }

[JsonConverter(typeof(KebabEnumConverter<ClipMode>))]
public enum ClipMode { Norm, Value, None }

/// <summary>Which time steps of a window the loss is taken over.</summary>
[JsonConverter(typeof(KebabEnumConverter<LossOn>))]
public enum LossOn { All, Last }

/// <summary>How a training text file is read: as it is, or in Mikolov's character-level PTB layout.</summary>
[JsonConverter(typeof(KebabEnumConverter<DataFormat>))]
public enum DataFormat { Text, PtbChar }

/// <summary>
/// What the model reads while it learns: always the true previous character (teacher forcing), its
/// own sample with a growing probability (scheduled sampling), or teacher forcing with a discriminator
/// that pulls free-running behaviour towards teacher-forced behaviour (Professor Forcing).
/// </summary>
[JsonConverter(typeof(KebabEnumConverter<Exposure>))]
public enum Exposure { Teacher, Scheduled, Professor }

/// <summary>How the probability of feeding the model its own sample grows with the optimizer step.</summary>
[JsonConverter(typeof(KebabEnumConverter<ExposureSchedule>))]
public enum ExposureSchedule { Linear, Exponential, InverseSigmoid }

/// <summary>How a free-running model picks the character it reads next.</summary>
[JsonConverter(typeof(KebabEnumConverter<FreeRunning>))]
public enum FreeRunning { Sample, Greedy }

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

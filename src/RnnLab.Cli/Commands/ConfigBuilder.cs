using RnnLab.Configuration;

namespace RnnLab.Cli.Commands;

/// <summary>Lays the flags that were given over a base config (defaults, a file, or a checkpoint's).</summary>
internal static class ConfigBuilder
{
    public static RunConfig Apply(RunConfig config, TrainSettings s)
    {
        var data = config.Data with
        {
            Path = s.Data ?? config.Data.Path,
            Mode = s.Mode is { } mode ? EnumNames.Parse<CorpusMode>(mode, "--mode") : config.Data.Mode,
            Format = s.Format is { } format ? EnumNames.Parse<DataFormat>(format, "--format") : config.Data.Format,
            ValPath = s.ValData ?? config.Data.ValPath,
            Delimiter = s.Delimiter ?? config.Data.Delimiter,
            CsvColumn = s.CsvColumn ?? config.Data.CsvColumn,
            ConditionOnClass = s.ConditionOnClass || config.Data.ConditionOnClass,
            ValFraction = s.ValFraction ?? config.Data.ValFraction,
            MinCharCount = s.MinCharCount ?? config.Data.MinCharCount,
            BatchSize = s.BatchSize ?? config.Data.BatchSize,
            Bptt = s.Bptt ?? config.Data.Bptt,
        };
        var model = config.Model with
        {
            Cell = s.Cell is { } cell ? EnumNames.Parse<CellKind>(cell, "--cell") : config.Model.Cell,
            Layers = s.Layers ?? config.Model.Layers,
            Hidden = s.Hidden ?? config.Model.Hidden,
            Embedding = s.Embedding ?? config.Model.Embedding,
            Dropout = s.Dropout ?? config.Model.Dropout,
            ClassEmbedding = s.ClassEmbedding ?? config.Model.ClassEmbedding,
        };
        var optim = s.ApplyTo(config.Optim);
        var train = config.Train with
        {
            LossOn = s.LossOn is { } l ? EnumNames.Parse<LossOn>(l, "--loss-on") : config.Train.LossOn,
            EosStateLoss = s.EosStateLoss ?? config.Train.EosStateLoss,
            Epochs = s.Epochs ?? config.Train.Epochs,
            Steps = s.Steps ?? config.Train.Steps,
            TimeLimitSeconds = s.TimeLimit is { } t
                ? Duration.ParseSeconds(t, "time-limit")
                : config.Train.TimeLimitSeconds,
            EvalEvery = s.EvalEvery ?? config.Train.EvalEvery,
            EvalBatches = s.EvalBatches ?? config.Train.EvalBatches,
            Patience = s.Patience ?? config.Train.Patience,
            LogEvery = s.LogEvery ?? config.Train.LogEvery,
            Seed = s.Seed ?? config.Train.Seed,
            SampleLength = s.SampleLength ?? config.Train.SampleLength,
            MaxNonFinite = s.MaxNonFinite ?? config.Train.MaxNonFinite,
            TensorBoard = s.TensorBoard || config.Train.TensorBoard,
        };
        var name = s.Name ?? (config.Name.Length > 0
            ? config.Name
            : $"{EnumNames.Name(model.Cell)}-{EnumNames.Name(data.Mode)}");
        return new RunConfig
        {
            Name = name, Data = data, Model = model, Optim = optim, Train = train,
            Exposure = s.ApplyTo(config.Exposure),
        };
    }
}

using RnnLab.Classification;
using RnnLab.Configuration;

namespace RnnLab.Cli.Commands.Classify;

/// <summary>Lays the flags that were given over a base classifier config.</summary>
internal static class ClassifyConfigBuilder
{
    public static ClassifyConfig Apply(ClassifyConfig config, ClassifyTrainSettings s)
    {
        var data = config.Data with
        {
            Path = s.Data ?? config.Data.Path,
            LabelColumn = s.LabelColumn ?? config.Data.LabelColumn,
            TextColumn = s.TextColumn ?? config.Data.TextColumn,
            ValFraction = s.ValFraction ?? config.Data.ValFraction,
            TestFraction = s.TestFraction ?? config.Data.TestFraction,
            KeepDuplicates = s.KeepDuplicates || config.Data.KeepDuplicates,
        };
        var model = config.Model with
        {
            Cell = s.Cell is { } cell ? EnumNames.Parse<CellKind>(cell, "--cell") : config.Model.Cell,
            Layers = s.Layers ?? config.Model.Layers,
            Hidden = s.Hidden ?? config.Model.Hidden,
            Embedding = s.Embedding ?? config.Model.Embedding,
            Bidirectional = s.Bidirectional || config.Model.Bidirectional,
            Dropout = s.Dropout ?? config.Model.Dropout,
        };
        var optim = s.ApplyTo(config.Optim);
        var train = config.Train with
        {
            BatchSize = s.BatchSize ?? config.Train.BatchSize,
            Epochs = s.Epochs ?? config.Train.Epochs,
            Steps = s.Steps ?? config.Train.Steps,
            TimeLimitSeconds = s.TimeLimit is { } t
                ? Duration.ParseSeconds(t, "time-limit")
                : config.Train.TimeLimitSeconds,
            Patience = s.Patience ?? config.Train.Patience,
            Imbalance = s.Imbalance is { } i ? EnumNames.Parse<Imbalance>(i, "--imbalance") : config.Train.Imbalance,
            SelectBy = s.SelectBy is { } b ? EnumNames.Parse<SelectBy>(b, "--select-by") : config.Train.SelectBy,
            LogEvery = s.LogEvery ?? config.Train.LogEvery,
            Seed = s.Seed ?? config.Train.Seed,
        };
        var name = s.Name ?? (config.Name.Length > 0 ? config.Name : $"classify-{EnumNames.Name(model.Cell)}");
        return new ClassifyConfig { Name = name, Data = data, Model = model, Optim = optim, Train = train };
    }
}

using RnnLab.Configuration;
using RnnLab.Seq2Seq;

namespace RnnLab.Cli.Commands.Seq2Seq;

/// <summary>Lays the flags that were given over a base seq2seq config.</summary>
internal static class Seq2SeqConfigBuilder
{
    public static Seq2SeqConfig Apply(Seq2SeqConfig config, Seq2SeqTrainSettings s)
    {
        var tutorial = s.TutorialFilter;
        var data = config.Data with
        {
            Path = s.Data ?? config.Data.Path,
            Format = s.Format is { } f ? EnumNames.Parse<PairFormat>(f, "--format") : config.Data.Format,
            Swap = s.Swap || config.Data.Swap,
            Normalization = s.Normalize is { } n ? EnumNames.Parse<Normalization>(n, "--normalize")
                : tutorial ? Normalization.Tutorial : config.Data.Normalization,
            Prefixes = s.Prefix is { Length: > 0 } p ? p
                : tutorial ? PairDataConfig.TutorialPrefixes : config.Data.Prefixes,

            // the tutorial keeps sentences of fewer than 10 words
            MaxWords = s.MaxWords ?? (tutorial ? 9 : config.Data.MaxWords),
            MaxChars = s.MaxChars ?? config.Data.MaxChars,
            ValFraction = s.ValFraction ?? config.Data.ValFraction,
            TestFraction = s.TestFraction ?? config.Data.TestFraction,
        };
        var model = config.Model with
        {
            Cell = s.Cell is { } cell ? EnumNames.Parse<CellKind>(cell, "--cell") : config.Model.Cell,
            Layers = s.Layers ?? config.Model.Layers,
            Hidden = s.Hidden ?? config.Model.Hidden,
            Embedding = s.Embedding ?? config.Model.Embedding,
            Bidirectional = s.Bidirectional || config.Model.Bidirectional,
            Attention = s.Attention is { } a
                ? EnumNames.Parse<AttentionKind>(a, "--attention")
                : config.Model.Attention,
            InputFeeding = !s.NoInputFeeding && config.Model.InputFeeding,
            Dropout = s.Dropout ?? config.Model.Dropout,
        };
        var train = config.Train with
        {
            BatchSize = s.BatchSize ?? config.Train.BatchSize,
            Epochs = s.Epochs ?? config.Train.Epochs,
            Steps = s.Steps ?? config.Train.Steps,
            TimeLimitSeconds = s.TimeLimit is { } t
                ? Duration.ParseSeconds(t, "time-limit")
                : config.Train.TimeLimitSeconds,
            TeacherForcing = s.TeacherForcing ?? config.Train.TeacherForcing,
            Patience = s.Patience ?? config.Train.Patience,
            Beam = s.Beam ?? config.Train.Beam,
            LengthPenalty = s.LengthPenalty ?? config.Train.LengthPenalty,
            MaxOutput = s.MaxOutput ?? config.Train.MaxOutput,
            LogEvery = s.LogEvery ?? config.Train.LogEvery,
            Seed = s.Seed ?? config.Train.Seed,
        };
        var name = s.Name ?? (config.Name.Length > 0 ? config.Name : $"seq2seq-{EnumNames.Name(model.Attention)}");
        return new Seq2SeqConfig { Name = name, Data = data, Model = model, Optim = s.ApplyTo(config.Optim),
            Train = train };
    }
}

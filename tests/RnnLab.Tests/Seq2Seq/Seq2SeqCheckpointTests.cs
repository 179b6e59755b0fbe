using RnnLab.Seq2Seq;
using RnnLab.Training;

namespace RnnLab.Tests.Seq2Seq;

public sealed class Seq2SeqCheckpointTests
{
    [Fact]
    public void ACheckpointRestoresTheModelAndItsVocabularies()
    {
        using var dir = new TempDir();
        using var scope = torch.NewDisposeScope();
        var config = new Seq2SeqConfig
        {
            Name = "t", Data = new PairDataConfig { Path = "pairs.tsv", Normalization = Normalization.Tutorial },
            Model = new Seq2SeqModelConfig { Cell = CellKind.Gru, Hidden = 8, Embedding = 4,
                Attention = AttentionKind.Concat, Bidirectional = true },
            Train = new Seq2SeqTrainConfig { Steps = 1 },
        };
        var source = Vocabulary.Build(CorpusReader.Scalars("abc "));
        var target = Vocabulary.Build(CorpusReader.Scalars("xyz."));
        torch.manual_seed(2);
        using var model = new Seq2SeqModel(config.Model, source.Count, target.Count);
        var path = dir.File("best.ckpt");
        Seq2SeqCheckpoint.Save(path, new Seq2SeqManifest
        {
            Config = config, SourceVocabulary = source.Characters, TargetVocabulary = target.Characters,
            MaxOutput = 9,
        }, StateBytes.Model(model));

        var loaded = Seq2SeqCheckpoint.Load(path);
        using var restored = loaded.CreateModel(torch.CPU);

        Assert.Equal(config, loaded.Manifest.Config with { Data = loaded.Manifest.Config.Data with
            { Prefixes = config.Data.Prefixes } });
        Assert.Equal(9, loaded.Manifest.MaxOutput);
        Assert.Equal(target.Characters, loaded.TargetVocabulary.Characters);
        int[][] sources = [[4, 5, 6], [7, 4]];
        model.eval();
        var before = Decoding.Greedy(model, sources, 9, withAttention: true);
        var after = Decoding.Greedy(restored, sources, 9, withAttention: true);
        Assert.Equal(before.Select(d => d.Ids), after.Select(d => d.Ids));
        Assert.Equal(before[0].Attention![0], after[0].Attention![0]);
    }

    [Fact]
    public void ALanguageModelCheckpointIsRefusedWithAPointerToItsCommand()
    {
        using var dir = new TempDir();
        var path = dir.File("lm.ckpt");
        RnnLab.Checkpoints.CheckpointArchive.Save(path,
            _ => System.Text.Encoding.UTF8.GetBytes("{\"format\":\"rnnlab-checkpoint\"}"),
            new Dictionary<string, byte[]>());

        var error = Assert.Throws<RnnLabException>(() => Seq2SeqCheckpoint.Load(path));

        Assert.Equal($"{path} is a language-model checkpoint, not a sequence-to-sequence model; use it with " +
            "'rnnlab sample' (or 'rnnlab eval' and 'rnnlab score')", error.Message);
    }
}

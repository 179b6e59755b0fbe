using RnnLab.Configuration;
using RnnLab.Data;

namespace RnnLab.Seq2Seq;

/// <summary>Pairs read, filtered, split and given vocabularies: what a seq2seq run trains on.</summary>
public sealed record PreparedPairs(PairData Data, PairSplits Splits, Vocabulary Source, Vocabulary Target)
{
    /// <summary>Reads and splits <paramref name="config"/>'s data; the vocabularies are the training split's.</summary>
    public static PreparedPairs Prepare(Seq2SeqConfig config)
    {
        config.Validate();
        var data = PairReader.Read(config.Data);
        var splits = PairSplits.Split(data.Pairs, config.Data.ValFraction, config.Data.TestFraction, config.Train.Seed);
        var source = Vocabulary.Build(splits.Train.Select(p => CorpusReader.Scalars(p.Source)));
        var target = Vocabulary.Build(splits.Train.Select(p => CorpusReader.Scalars(p.Target)));
        return new PreparedPairs(data, splits, source, target);
    }

    /// <summary>
    /// The longest output to decode: the configured one, or the longest training target plus a margin.
    /// </summary>
    public int MaxOutput(Seq2SeqConfig config) => config.Train.MaxOutput > 0
        ? config.Train.MaxOutput
        : Splits.Train.Max(p => CorpusReader.Scalars(p.Target).Length) + 10;
}

using RnnLab.Seq2Seq;

namespace RnnLab.Tests.Seq2Seq;

// BLEU, chrF, character error rate and exact match against values worked out by hand.
public sealed class TranslationMetricsTests
{
    [Fact]
    public void BleuOfOneSentenceIsTheGeometricMeanOfItsPrecisionsTimesTheBrevityPenalty()
    {
        // 1-grams 5/5, 2-grams 3/4, 3-grams 2/3, 4-grams 1/2; 5 output words against 6
        var bleu = TranslationMetrics.CorpusBleu(["the cat sat on the mat"], ["the cat sat on mat"]);

        Assert.Equal(Math.Pow(1.0 * 3 / 4 * 2 / 3 * 1 / 2, 0.25) * Math.Exp(1 - 6.0 / 5), bleu, 10);
    }

    [Fact]
    public void CorpusBleuSumsCountsOverSentencesBeforeDividing()
    {
        var bleu = TranslationMetrics.CorpusBleu(["the cat sat on the mat", "a b c d"],
            ["the cat sat on mat", "a b c d"]);

        // clipped matches / totals: 9/9, 6/7, 4/5, 2/3; 9 output words against 10
        Assert.Equal(Math.Pow(1.0 * 6 / 7 * 4 / 5 * 2 / 3, 0.25) * Math.Exp(1 - 10.0 / 9), bleu, 10);
    }

    [Fact]
    public void BleuClipsRepeatedWordsAndIsZeroWithoutAMatching4Gram()
    {
        Assert.Equal(0, TranslationMetrics.CorpusBleu(["the cat"], ["the the the the"]));
        Assert.Equal(1, TranslationMetrics.CorpusBleu(["i am cold ."], ["i am cold ."]), 12);
    }

    [Fact]
    public void ChrfAveragesCharacterPrecisionAndRecallOverTheOrdersPresentThenWeighsRecallTwice()
    {
        // "ab" against "abc": 1-grams P 2/2 R 2/3, 2-grams P 1/1 R 1/2; no 3-gram in the output
        var chrf = TranslationMetrics.CorpusChrf(["abc"], ["ab"]);

        var (p, r) = (1.0, (2.0 / 3 + 1.0 / 2) / 2);
        Assert.Equal(5 * p * r / (4 * p + r), chrf, 10);
    }

    [Fact]
    public void ChrfIgnoresSpaces()
    {
        Assert.Equal(1, TranslationMetrics.CorpusChrf(["i am cold"], ["iam  cold"]), 12);
    }

    [Fact]
    public void CharacterErrorRateIsEditsOverReferenceCharactersAcrossTheCorpus()
    {
        var metrics = TranslationMetrics.Compute(["kitten", "abc"], ["sitting", "abc"]);

        Assert.Equal(3.0 / 9, metrics.CharacterErrorRate, 12); // kitten -> sitting: 3 edits
        Assert.Equal(0.5, metrics.ExactMatch);
        Assert.Equal(2, metrics.Count);
    }

    [Theory]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("été", "ete", 2)]
    public void EditDistanceCountsInsertionsDeletionsAndSubstitutions(string a, string b, int expected)
    {
        Assert.Equal(expected, TranslationMetrics.EditDistance(CorpusReader.Scalars(a), CorpusReader.Scalars(b)));
    }
}

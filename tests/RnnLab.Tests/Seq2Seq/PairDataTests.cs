using RnnLab.Seq2Seq;

namespace RnnLab.Tests.Seq2Seq;

// Normalisation, the pair file formats, the filters and the split.
public sealed class PairDataTests
{
    [Theory]
    [InlineData("Été", "ete")]
    [InlineData("Ça VA", "ca va")]
    [InlineData("e\u0301te\u0301", "ete")] // already decomposed: the combining accents go
    [InlineData("  Straße  ", "straße")]
    public void BasicLowerCasesAndStripsAccents(string text, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Basic(text));
    }

    [Theory]
    [InlineData("Je suis content.", "je suis content .")]
    [InlineData("I'm fine!", "i m fine !")]
    [InlineData("Ça va ?", "ca va ?")]
    [InlineData("Attends... quoi?!", "attends . . . quoi ? !")]
    [InlineData("Il a 20 ans.", "il a ans .")]
    public void TutorialNormalisationMatchesThePyTorchTutorials(string text, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Tutorial(text));
    }

    [Fact]
    public void TheTutorialFilterKeepsTheTutorialsSubsetOfEngFra()
    {
        var config = new PairDataConfig
        {
            Path = Path.Combine(Paths.SharedData, "eng-fra", "eng-fra.txt"), Swap = true,
            Normalization = Normalization.Tutorial, Prefixes = PairDataConfig.TutorialPrefixes, MaxWords = 9,
        };

        var data = PairReader.Read(config);

        // the tutorial's own Python (prepareData('eng', 'fra', True)) keeps 10,922 of this file's lines
        Assert.Equal(142_787, data.LinesRead);
        Assert.Equal(10_922, data.Pairs.Count);
        Assert.Equal(new Pair("j ai ans .", "i m ."), data.Pairs[0]);
        Assert.All(data.Pairs, p => Assert.Contains(PairDataConfig.TutorialPrefixes, x => p.Target.StartsWith(x)));
    }

    [Fact]
    public void CmudictLinesAreWordsAndPhonemesWithVariantsAndCommentsHandled()
    {
        using var dir = new TempDir();
        var path = dir.Write("dict", ";;; header\nabbe AE1 B IY0\nabbe(2) AE1 B\naalen AE1 L AH0 N # place, german\n");

        var data = PairReader.Read(new PairDataConfig { Path = path });

        Assert.Equal([new Pair("abbe", "AE1 B IY0"), new Pair("abbe", "AE1 B"), new Pair("aalen", "AE1 L AH0 N")],
            data.Pairs);
    }

    [Fact]
    public void PrefixesApplyToTheTargetAfterTheSwap()
    {
        using var dir = new TempDir();
        var path = dir.Write("pairs.tsv", "I am here.\tJe suis là.\nHe is tall.\tIl est grand.\n" +
            "We go.\tNous allons.\nYou are.\tVous êtes.\n");
        var config = new PairDataConfig
        {
            Path = path, Swap = true, Normalization = Normalization.Basic, Prefixes = ["i am", "he is", "we"],
        };

        var data = PairReader.Read(config);

        Assert.Equal([new Pair("je suis la.", "i am here."), new Pair("il est grand.", "he is tall."),
            new Pair("nous allons.", "we go.")], data.Pairs);
        Assert.Equal((4, 1), (data.LinesRead, data.Filtered));
    }

    [Theory]
    [InlineData(3, 0, "je suis la .", "i am here .", false)] // 4 words
    [InlineData(4, 0, "je suis la .", "i am here .", true)]
    [InlineData(0, 11, "je suis la .", "i am here .", false)] // 12 characters
    [InlineData(0, 12, "je suis la .", "i am here .", true)]
    public void LengthFiltersCountWordsAndCharactersOnBothSides(int maxWords, int maxChars, string source,
        string target, bool kept)
    {
        var config = new PairDataConfig { Path = "x", MaxWords = maxWords, MaxChars = maxChars };

        Assert.Equal(kept, PairReader.Keep(config, source, target));
    }

    [Fact]
    public void TheSplitIsSeededAndDisjoint()
    {
        var pairs = Enumerable.Range(0, 100).Select(i => new Pair($"s{i}", $"t{i}")).ToArray();

        var first = PairSplits.Split(pairs, 0.1, 0.2, seed: 4);
        var again = PairSplits.Split(pairs, 0.1, 0.2, seed: 4);

        Assert.Equal((70, 10, 20), (first.Train.Length, first.Validation.Length, first.Test.Length));
        Assert.Equal(first.Test, again.Test);
        Assert.Equal(100, first.Train.Concat(first.Validation).Concat(first.Test).Distinct().Count());
    }

    [Theory]
    [InlineData("", "is empty (0 bytes); pass a file with text in it")]
    [InlineData("\n  \n", "holds no pairs (it is empty or blank); one 'source<TAB>target' a line")]
    [InlineData("a line without a tab\n", "line 1 has no tab; each line is 'source<TAB>target' (pass --format cmudict")]
    [InlineData("a\tb\n", "1 of 1 pairs pass the filters; at least 3 are needed (one per split)")]
    public void BadFilesAreRefusedWithTheReason(string content, string message)
    {
        using var dir = new TempDir();
        var path = dir.Write("pairs.tsv", content);

        var error = Assert.Throws<RnnLabException>(() =>
            PairReader.Read(new PairDataConfig { Path = path, Format = PairFormat.Tsv }));

        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData(false, "0 of 4 pairs pass the filters; at least 3 are needed (one per split); the prefixes match " +
        "the source side of 3: they are matched against the target, so add --swap to translate into the prefixes' " +
        "language")]
    [InlineData(true, "0 of 4 pairs pass the filters; at least 3 are needed (one per split); the prefixes match " +
        "the source side of 3: they are matched against the target, so drop --swap")]
    public void PrefixesThatMatchOnlyTheOtherSideSayWhichWayToSwap(bool swap, string message)
    {
        using var dir = new TempDir();
        // English prefixes: on the left without --swap (the source), on the right with it
        var lines = new[]
        {
            "i am here .\tje suis la .", "he is ok .\til va bien .", "we are late .\tnous sommes en retard .",
            "go .\tva !",
        };
        var path = dir.Write("pairs.tsv", string.Join("\n", swap ? lines.Select(Flip) : lines) + "\n");

        var error = Assert.Throws<RnnLabException>(() => PairReader.Read(new PairDataConfig
        {
            Path = path, Format = PairFormat.Tsv, Swap = swap, Prefixes = ["i am", "he is", "we are"],
        }));

        Assert.EndsWith(message, error.Message);
    }

    private static string Flip(string line) => string.Join('\t', line.Split('\t').Reverse());
}

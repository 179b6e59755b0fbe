using RnnLab.Classification;

namespace RnnLab.Tests.Classification;

public sealed class LabeledDataTests
{
    private static ClassifyDataConfig Folder(string path) => new() { Path = path };

    [Fact]
    public void NamesFolderReadsEighteenClassesAndDropsRepeats()
    {
        var data = LabeledDataReader.Read(Folder(Paths.Names));

        Assert.Equal(18, data.Classes.Count);
        Assert.Equal("Arabic", data.Classes[0]);
        Assert.Equal("Vietnamese", data.Classes[^1]);
        Assert.Equal(18_012, data.Items.Count); // SOURCE.md: 18,012 unique (language, name) pairs
        Assert.Equal(20_050 - 18_012, data.DuplicatesDropped);
        Assert.Equal(108, data.CountPerClass()[0]); // Arabic.txt: 2,000 lines, 108 names
    }

    [Fact]
    public void KeepDuplicatesKeepsEveryLine()
    {
        var data = LabeledDataReader.Read(Folder(Paths.Names) with { KeepDuplicates = true });

        Assert.Equal(20_050, data.Items.Count);
        Assert.Equal(0, data.DuplicatesDropped);
    }

    [Fact]
    public void EmptyClassFileIsRefusedByName()
    {
        using var dir = new TempDir();
        dir.Write("A.txt", "x\ny\n");
        dir.Write("B.txt", "\n  \n");

        var error = Assert.Throws<RnnLabException>(() => LabeledDataReader.Read(Folder(dir.Path)));

        Assert.Equal($"class file {dir.File("B.txt")} holds no items (it is empty or blank); fill it or remove it",
            error.Message);
    }

    [Fact]
    public void CsvRowWithoutALabelIsRefusedWithItsRowNumber()
    {
        using var dir = new TempDir();
        var csv = dir.Write("d.csv", "lang,name\nen,Smith\n,Ivanov\nru,Petrov\n");

        var error = Assert.Throws<RnnLabException>(() => LabeledDataReader.Read(
            new ClassifyDataConfig { Path = csv, LabelColumn = "lang", TextColumn = "name" }));

        Assert.Equal($"{csv}: row 3 has no label in column 'lang'; fill it in or delete the row", error.Message);
    }

    [Theory]
    [InlineData("lang,name\nen,Smith\nen,Jones,extra\nru,Petrov\n",
        "row 3 has 3 field(s) but the header has 2; quote fields that hold commas, and close every quote")]
    [InlineData("lang,name\nen,Smith\nen,Jones\nru,\"Petrov\n",
        "row 4 opens a quote that is not closed on its line, so the rows after it would be read as one field; " +
        "close the quote or remove it")]
    [InlineData("lang,name\nen,Smith\nru,\"Petrov\nJr\"\nen,Jones\n",
        "row 3 has a field that runs over several lines; items are one line each (is a quote left open?)")]
    [InlineData("lang,name\nen,Smith\nen,Jo\"n\"es\nru,Petrov\n",
        "row 3 has a malformed field (Jo\"n\"es); quote fields that hold commas or quotes, and double the quotes " +
        "inside them")]
    [InlineData("lang,name,lang\nen,Smith,x\n", "has the column 'lang' 2 times (columns 1, 3); rename all but one")]
    [InlineData("lang,name\nen,Smith\nru,\"Unterminated\nru,Petrov\nen,Jones\n",
        "row 3 opens a quote that is not closed on its line, so the rows after it would be read as one field; " +
        "close the quote or remove it")]
    public void MalformedCsvRowsAreRefusedNotSwallowed(string csv, string message)
    {
        using var dir = new TempDir();
        var path = dir.Write("d.csv", csv);

        var error = Assert.Throws<RnnLabException>(() => LabeledDataReader.Read(
            new ClassifyDataConfig { Path = path, LabelColumn = "lang", TextColumn = "name" }));

        Assert.EndsWith(message, error.Message);
        Assert.StartsWith(path, error.Message);
    }

    [Fact]
    public void OneClassIsEnoughToScoreButNotToTrain()
    {
        using var dir = new TempDir();
        dir.Write("Russian.txt", "Ivanov\nPetrov\n");

        var scored = LabeledDataReader.Read(Folder(dir.Path), minimumClasses: 1);
        var error = Assert.Throws<RnnLabException>(() => LabeledDataReader.Read(Folder(dir.Path)));

        Assert.Equal(["Russian"], scored.Classes);
        Assert.Equal($"{dir.Path} holds 1 class file(s); at least 2 are needed, named <Class>.txt, one item a line",
            error.Message);
    }

    [Fact]
    public void CsvGivesClassesInOrdinalOrder()
    {
        using var dir = new TempDir();
        var csv = dir.Write("d.csv", "name,lang\nSmith,en\nIvanov,ru\n\"Petrov, Jr\",ru\nJones,en\n");

        var config = new ClassifyDataConfig { Path = csv, LabelColumn = "lang", TextColumn = "name" };
        var data = LabeledDataReader.Read(config);

        Assert.Equal(["en", "ru"], data.Classes);
        Assert.Equal([("Smith", 0), ("Ivanov", 1), ("Petrov, Jr", 1), ("Jones", 0)],
            data.Items.Select(i => (i.Text, i.Label)));
    }

    [Fact]
    public void ClassTooSmallForTheSplitIsNamed()
    {
        using var dir = new TempDir();
        dir.Write("Big.txt", string.Join("\n", Enumerable.Range(0, 50).Select(i => $"name{i}")));
        dir.Write("Tiny.txt", "one\ntwo\n");
        var data = LabeledDataReader.Read(Folder(dir.Path));

        var error = Assert.Throws<RnnLabException>(() => StratifiedSplit.Split(data, 0.1, 0.1, 1));

        Assert.Equal("class 'Tiny' has 2 item(s); the split needs at least 3 (1 for training, 1 for validation, " +
            "1 for test); add items to it or remove the class", error.Message);
    }

    [Fact]
    public void SplitIsStratifiedDisjointAndSeeded()
    {
        var data = LabeledDataReader.Read(Folder(Paths.Names));

        var split = StratifiedSplit.Split(data, 0.1, 0.1, 5);
        var again = StratifiedSplit.Split(data, 0.1, 0.1, 5);
        var other = StratifiedSplit.Split(data, 0.1, 0.1, 6);

        Assert.Equal(data.Items.Count, split.Train.Length + split.Validation.Length + split.Test.Length);
        Assert.Equal(split.Test, again.Test);
        Assert.NotEqual(split.Test, other.Test);
        var counts = data.CountPerClass();
        for (var label = 0; label < data.Classes.Count; label++)
        {
            var expected = Math.Max(1, (int)Math.Round(counts[label] * 0.1));
            Assert.Equal(expected, split.Test.Count(i => i.Label == label));
            Assert.Equal(expected, split.Validation.Count(i => i.Label == label));
        }
        Assert.Empty(split.Train.Intersect(split.Test));
        Assert.Empty(split.Validation.Intersect(split.Test));
    }
}

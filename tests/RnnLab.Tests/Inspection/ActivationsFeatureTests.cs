using RnnLab.Inspection;

namespace RnnLab.Tests.Inspection;

public sealed class ActivationsFeatureTests
{
    //                                          s  a  y  _  "  h  i  "  _  (  x  )  \n a  b
    private static readonly string[] Sample = Characters("say \"hi\" (x)\nab");

    [Fact]
    public void Inside_quotes_runs_from_an_opening_quote_to_just_before_its_closing_one() =>
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], CharFeatures.InQuotes(Sample));

    [Fact]
    public void Line_position_counts_characters_since_the_last_newline_over_the_longest_line()
    {
        double[] raw = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 1];

        Assert.Equal(raw.Select(p => p / 12), CharFeatures.LinePosition(Sample));
    }

    [Fact]
    public void After_space_marks_the_character_that_follows_a_space() =>
        Assert.Equal([0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0], CharFeatures.AfterSpace(Sample));

    [Fact]
    public void Uppercase_marks_capital_letters_only()
    {
        Assert.Equal(new double[15], CharFeatures.Uppercase(Sample));
        Assert.Equal([1, 0, 0, 1, 0], CharFeatures.Uppercase(Characters("Ab É1")));
    }

    [Fact]
    public void Inside_parentheses_runs_from_an_opening_one_to_just_before_its_close() =>
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0], CharFeatures.InParentheses(Sample));

    [Fact]
    public void An_unmatched_closing_parenthesis_does_not_open_a_negative_depth() =>
        Assert.Equal([0, 1, 1, 0], CharFeatures.InParentheses(Characters(")(x)")));

    [Fact]
    public void Speaker_line_marks_whole_lines_ending_with_a_colon_the_last_one_without_a_newline_too()
    {
        Assert.Equal(new double[15], CharFeatures.SpeakerLine(Sample));
        Assert.Equal([1, 1, 1, 0, 0, 1, 1, 1, 1], CharFeatures.SpeakerLine(Characters("A:\nb\nc d:")));
    }

    [Fact]
    public void All_features_give_one_value_per_character_under_distinct_names()
    {
        var features = CharFeatures.All(Sample);

        Assert.Equal(["in-quotes", "line-position", "after-space", "uppercase", "in-parentheses", "speaker-line"],
            features.Select(f => f.Name));
        Assert.All(features, f => Assert.Equal(15, f.Values.Length));
    }

    private static string[] Characters(string text) =>
        CorpusReader.Scalars(text).Select(char.ConvertFromUtf32).ToArray();
}

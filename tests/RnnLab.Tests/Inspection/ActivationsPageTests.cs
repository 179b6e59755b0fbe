using System.Text.Json;
using System.Text.RegularExpressions;
using RnnLab.Inspection;

namespace RnnLab.Tests.Inspection;

public sealed class ActivationsPageTests
{
    [Fact]
    public void Embedded_units_are_the_first_shown_the_top_ones_then_the_most_varying_up_to_the_cap()
    {
        // unit 3 varies most, then 2, 1, 0; unit 4 is constant
        var trace = Trace("abc", new float[,] { { 0, 0, 0, 0, 1 }, { 0.1f, 0.2f, 0.3f, 0.4f, 1 },
            { 0, 0, 0, 0, 1 } });
        var top = Ranked(new UnitCorrelation(4, 0.5));

        Assert.Equal([0, 3, 4], ActivationsPage.ChooseUnits(trace, [top], unit: 0, maxUnits: 3));
        Assert.Equal([0, 4], ActivationsPage.ChooseUnits(trace, [top], unit: 0, maxUnits: 1)); // never cut the two
        Assert.Equal([0, 1, 2, 3, 4], ActivationsPage.ChooseUnits(trace, [top], unit: 0, maxUnits: 64));
    }

    [Fact]
    public void The_page_escapes_the_text_keeps_newlines_and_shows_control_characters()
    {
        var trace = Trace("<b>&\"\n\u0001'", new float[8, 2]);

        var html = Render(trace, [0, 1]);

        var text = Regex.Match(html, "<div class=\"text\" id=\"activations\">(.*?)</div>", RegexOptions.Singleline)
            .Groups[1].Value;
        Assert.Equal("&lt;b&gt;&amp;&quot;\n\u2401&#39;", Regex.Replace(text, "</?i[^>]*>", ""));
        Assert.DoesNotContain("<b>", html);
    }

    [Fact]
    public void The_page_embeds_each_listed_unit_once_and_never_writes_nan()
    {
        var trace = Trace("ab\"c", new float[,] { { 0.5f, float.NaN, 0 }, { -0.25f, 1, 0 }, { 1, 2, 0 }, { 0, 0, 0 } },
            [null, 1.234, double.NaN, 3]);
        var correlations = CharFeatures.All(trace.Characters).Select(f => Correlation.Rank(trace, f, 2)).ToArray();

        var html = ActivationsPage.Render(new ActivationsPageContent("t", "s", trace, correlations, 0, [0, 2], []));

        var data = JsonDocument.Parse(Regex.Match(html, "id=\"activation-data\">(.*?)</script>").Groups[1].Value);
        var units = data.RootElement.GetProperty("units").EnumerateArray().ToArray();
        Assert.Equal([0, 2], units.Select(u => u.GetProperty("unit").GetInt32()));
        Assert.Equal(2, Regex.Matches(html, "<option value=").Count);
        Assert.Equal("[null,1.23,null,3]", data.RootElement.GetProperty("surprisal").GetRawText());
        // unit 0 is (0.5, -0.25, 1, 0): its scale is 1, so the bytes are round(127 v)
        Assert.Equal([64, -32, 127, 0], Convert.FromBase64String(units[0].GetProperty("q").GetString()!)
            .Select(b => (int)(sbyte)b));
        Assert.DoesNotContain("NaN", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("id=\"unit-legend\"", html);
        Assert.Contains("id=\"surprisal-legend\"", html);
    }

    private static ActivationTrace Trace(string text, float[,] values, double?[]? surprisal = null)
    {
        var characters = CorpusReader.Scalars(text).Select(char.ConvertFromUtf32).ToArray();
        return new ActivationTrace(characters, 0, values, surprisal ?? new double?[characters.Length]);
    }

    private static FeatureCorrelations Ranked(params UnitCorrelation[] top) =>
        new(new CharFeature("f", "test", [0, 1, 0]), top);

    private static string Render(ActivationTrace trace, int[] units) =>
        ActivationsPage.Render(new ActivationsPageContent("t", "s", trace, [], units[0], units, []));
}

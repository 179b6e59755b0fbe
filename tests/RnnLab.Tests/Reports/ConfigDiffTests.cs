using System.Text.Json.Nodes;
using RnnLab.Reports;

namespace RnnLab.Tests.Reports;

public sealed class ConfigDiffTests
{
    private static IReadOnlyDictionary<string, string> Flat(string json) =>
        ConfigDiff.Flatten((JsonObject)JsonNode.Parse(json)!);

    [Fact]
    public void Two_configs_that_differ_in_cell_and_learning_rate_give_exactly_those_rows()
    {
        var a = Flat("""
            {"name": "a", "data": {"path": "input.txt", "bptt": 64},
             "model": {"cell": "lstm", "layers": 2}, "optim": {"optimizer": "adam", "learning-rate": 0.002},
             "train": {"steps": 300, "seed": 1}}
            """);
        var b = Flat("""
            {"name": "b", "data": {"path": "input.txt", "bptt": 64},
             "model": {"cell": "gru", "layers": 2}, "optim": {"optimizer": "adam", "learning-rate": 0.001},
             "train": {"steps": 300, "seed": 2}}
            """);

        var rows = ConfigDiff.Differences([a, b], ConfigDiff.NameAndSeed);

        Assert.Equal(["model.cell", "optim.learning-rate"], rows.Select(r => r.Key));
        Assert.Equal(["lstm", "gru"], rows[0].Values);
        Assert.Equal(["0.002", "0.001"], rows[1].Values);
    }

    [Fact]
    public void Configs_saved_by_rnnlab_differ_only_where_the_flags_differ()
    {
        var lstm = Flat(HandRuns.Config("lstm", 2e-3, seed: 1, name: "x"));
        var gru = Flat(HandRuns.Config("gru", 1e-3, seed: 7, name: "y"));

        var rows = ConfigDiff.Differences([lstm, gru], ConfigDiff.NameAndSeed);
        var withSeed = ConfigDiff.Differences([lstm, gru]);

        Assert.Equal(["model.cell", "optim.learning-rate"], rows.Select(r => r.Key));
        Assert.Equal(["gru", "0.001"], rows.Select(r => r.Values[1]));
        Assert.Equal(["name", "model.cell", "optim.learning-rate", "train.seed"], withSeed.Select(r => r.Key));
    }

    [Fact]
    public void Equal_configs_have_no_rows_and_a_key_one_lacks_is_a_row_with_null()
    {
        var a = Flat("""{"model": {"cell": "lstm"}, "train": {"seed": 1}}""");
        var b = Flat("""{"train": {"seed": 1}, "model": {"cell": "lstm"}}""");
        var c = Flat("""{"model": {"cell": "lstm", "dropout": 0.1}, "train": {"seed": 1}}""");

        Assert.Empty(ConfigDiff.Differences([a, b]));
        var row = Assert.Single(ConfigDiff.Differences([a, c]));
        Assert.Equal("model.dropout", row.Key);
        Assert.Equal([null, "0.1"], row.Values);
    }

    [Fact]
    public void Flatten_joins_sections_with_dots_and_keeps_json_text_for_non_strings()
    {
        var flat = Flat("""{"name": "n", "a": {"b": {"c": true}, "d": null, "e": [1, "x"], "f": {}}, "g": 1e-3}""");

        Assert.Equal(
            ["name=n", "a.b.c=true", "a.d=null", "a.e=[1,\"x\"]", "a.f={}", "g=1e-3"],
            flat.Select(p => $"{p.Key}={p.Value}"));
    }

    [Fact]
    public void Identity_ignores_name_seed_and_key_order()
    {
        var a = Flat("""{"name": "a", "model": {"cell": "lstm", "layers": 2}, "train": {"seed": 1}}""");
        var b = Flat("""{"train": {"seed": 9}, "model": {"layers": 2, "cell": "lstm"}, "name": "b"}""");
        var c = Flat("""{"name": "a", "model": {"cell": "lstm", "layers": 3}, "train": {"seed": 1}}""");

        Assert.Equal(ConfigDiff.Identity(a, ConfigDiff.NameAndSeed), ConfigDiff.Identity(b, ConfigDiff.NameAndSeed));
        Assert.NotEqual(ConfigDiff.Identity(a, ConfigDiff.NameAndSeed), ConfigDiff.Identity(c, ConfigDiff.NameAndSeed));
    }

    [Fact]
    public void Merge_joins_the_distinct_values_of_a_key()
    {
        var merged = ConfigDiff.Merge([Flat("""{"a": 1, "b": "x"}"""), Flat("""{"a": 2, "b": "x"}"""),
            Flat("""{"b": "x"}""")]);

        Assert.Equal(["a=1 | 2 | (absent)", "b=x"], merged.Select(p => $"{p.Key}={p.Value}"));
    }
}

using RnnLab.Experiments;

namespace RnnLab.Tests.Experiments;

public sealed class SweepSpecTests
{
    private static readonly Dictionary<string, bool> Flags = new[]
    {
        "data", "mode", "cell", "layers", "optimizer", "lr", "time-limit", "nesterov", "seed", "out", "name", "resume",
    }.ToDictionary(f => f, f => f == "nesterov");

    private static SweepSpec Parse(string json) => SweepSpec.Parse(json, "s.json", Flags);

    [Fact]
    public void Members_are_grid_times_variants_times_seeds_with_variants_overriding_the_base()
    {
        var spec = Parse("""
            { // comments and trailing commas are allowed
              "name": "diary", "seeds": [1, 7],
              "base": { "data": "t.txt", "mode": "documents", "optimizer": "adam", "nesterov": true },
              "grid": { "cell": ["lstm", "gru"], "layers": [1, 3] },
              "variants": [ {}, { "name": "sgd", "optimizer": "sgd", "lr": 0.5, "nesterov": false } ],
            }
            """);

        Assert.Equal("diary", spec.Name);
        Assert.Equal(2 * 2 * 2 * 2, spec.Members.Count);
        var first = spec.Members[0];
        Assert.Equal(("cell=lstm,layers=1 seed 1", "cell=lstm,layers=1", 1, "cell-lstm_layers-1_s1"),
            (first.Name, first.Group, first.Seed, first.Path));
        Assert.Equal(["--data", "t.txt", "--mode", "documents", "--optimizer", "adam", "--nesterov", "--cell", "lstm",
            "--layers", "1", "--seed", "1"], first.Args);
        var sgd = spec.Members.Single(m => m.Group == "cell=gru,layers=3,sgd" && m.Seed == 7);
        Assert.Equal("cell-gru_layers-3_sgd_s7", sgd.Path);
        Assert.Equal(["--data", "t.txt", "--mode", "documents", "--cell", "gru", "--layers", "3", "--optimizer", "sgd",
            "--lr", "0.5", "--seed", "7"], sgd.Args);
    }

    [Fact]
    public void Without_grid_or_variants_there_is_the_base_once_per_seed()
    {
        var spec = Parse("""{ "name": "b", "seeds": 3, "base": { "cell": "gru" } }""");

        Assert.Equal(["base seed 1", "base seed 2", "base seed 3"], spec.Members.Select(m => m.Name));
        Assert.Equal(["base_s1", "base_s2", "base_s3"], spec.Members.Select(m => m.Path));
    }

    [Theory]
    [InlineData("""{ "name": "x", "base": { "celll": "gru" } }""",
        "s.json: base.celll: 'celll' is not a flag of rnnlab train (did you mean 'cell'?)")]
    [InlineData("""{ "name": "x", "grid": { "transformer": [1] } }""",
        "s.json: grid.transformer: 'transformer' is not a flag of rnnlab train; see rnnlab train --help")]
    [InlineData("""{ "name": "x", "base": { "seed": 3 } }""",
        "s.json: base.seed: the sweep sets --seed itself: list seeds under \"seeds\"")]
    [InlineData("""{ "name": "x", "variants": [ { "out": "r" } ] }""",
        "s.json: variants[0].out: the sweep sets --out itself for every member; leave it out")]
    [InlineData("""{ "name": "x", "seeds": 0 }""", "s.json: seeds: a count of seeds is 1 to 100 (got 0)")]
    [InlineData("""{ "name": "x", "seeds": [1, 1] }""",
        "s.json: seeds: a seed is listed twice: its runs would be the same run")]
    [InlineData("""{ "name": "x", "grid": { "lr": [] } }""", "s.json: grid.lr: expected a non-empty array of values")]
    [InlineData("""{ "name": "x", "base": { "lr": [0.1] } }""",
        "s.json: base.lr: a flag's value is a string, a number or true/false (got [0.1])")]
    [InlineData("""{ "base": {} }""", "s.json: name: the sweep needs a name (a string): its runs go to <root>/<name>/")]
    [InlineData("""{ "name": "../up" }""",
        "s.json: name: '../up' is not a plain name; use letters, digits, '-', '_' and '.'")]
    [InlineData("""{ "name": "x", "grids": {} }""",
        "s.json: unknown key 'grids'; a sweep file has name, base, grid, variants and seeds")]
    [InlineData("""{ "name": "x", "variants": [ { "name": "a" }, { "name": "a" } ] }""",
        "s.json: two members would share the folder a_s1 (a seed 1 and a seed 1); give the variants distinct names")]
    [InlineData("[1, 2]", "s.json: a sweep file is a JSON object with name, base, grid, variants and seeds")]
    [InlineData("""{ "name": "x", "base": { "data": "\ud800.txt" } }""",
        "s.json: a string holds half of a surrogate pair (such as \\ud800); write whole characters")]
    [InlineData("""{ "name": "x", "base": { "layers": true } }""",
        "s.json: base.layers: --layers takes a value, not true; true and false are for switches such as \"nesterov\"")]
    [InlineData("""{ "name": "x", "grid": { "nesterov": [1] } }""",
        "s.json: grid.nesterov[0]: --nesterov is a switch: give true or false, not 1")]
    [InlineData("""{ "name": "x", "grid": { "lr": [0.1, 0.2] }, "variants": [ {}, { "name": "v", "lr": 1 } ] }""",
        "s.json: variants[1].lr: 'lr' is also in the grid, so every grid value would be overridden; set it in one " +
        "place")]
    [InlineData("""{ "name": "x", "variants": [ { "name": "über" } ] }""",
        "s.json: variants[0].name: 'über' is not a plain name; use letters, digits, '-', '_' and '.', starting with " +
        "a letter or digit")]
    [InlineData("""{ "name": "x", "variants": [ { "name": "-x" } ] }""",
        "s.json: variants[0].name: '-x' is not a plain name")]
    [InlineData("""{ "name": "x", "name": "y" }""", "s.json: the file: the key 'name' is given twice; keep one")]
    [InlineData("""{ "name": "x", "base": { "lr": 1, "lr": 2 } }""",
        "s.json: base: the key 'lr' is given twice; keep one")]
    [InlineData("""
        { "name": "x", "seeds": 100,
          "grid": { "lr": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], "cell": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } }
        """,
        "s.json: the file: 11000 members (grid x variants x seeds); more than 10000 is surely a mistake")]
    [InlineData("{ \"name\": ", "s.json: not JSON: ")]
    public void Mistakes_are_named_with_their_place_in_the_file(string json, string message)
    {
        var error = Assert.Throws<RnnLabException>(() => Parse(json));

        Assert.StartsWith(message, error.Message);
    }
}

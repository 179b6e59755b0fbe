using System.Text.Json;
using System.Text.RegularExpressions;

namespace RnnLab.Tests.Cli;

public sealed class ActivationsCliTests
{
    private static readonly ModelConfig Small = new() { Cell = CellKind.Gru, Layers = 2, Hidden = 8, Embedding = 4 };

    [Fact]
    public void Activations_writes_one_page_with_the_escaped_text_legends_and_every_listed_unit()
    {
        using var dir = new TempDir();
        TestCheckpoints.Write(dir.File("m.ckpt"), Small);

        var run = global::RnnLab.Tests.Support.Cli.Run(dir.Path, "activations", "--checkpoint", "m.ckpt", "--text",
            "Say <b>& \"hi\" (x)\nab", "--out", "act.html");

        run.Exits(0);
        Assert.Equal("note: 6 kinds of character the model does not know are read as <unk>: < > & \" ( )\n",
            run.Stderr);
        Assert.Contains("in-quotes      | ", run.Stdout);
        Assert.Contains("wrote act.html (", run.Stdout);
        var html = File.ReadAllText(dir.File("act.html"));
        Assert.Equal("Say &lt;b&gt;&amp; &quot;hi&quot; (x)\nab", TextOf(html));
        Assert.DoesNotContain("<b>&", html);
        Assert.Contains("id=\"unit-legend\"", html);
        Assert.Contains("id=\"surprisal-legend\"", html);
        Assert.Contains("6 kinds of character the model does not know are read as &lt;unk&gt;", html);
        Assert.Equal(Enumerable.Range(0, 8), EmbeddedUnits(html)); // hidden 8: every unit fits under the cap
        Assert.Equal(Enumerable.Range(0, 8), Options(html));
        Assert.DoesNotContain("http", html); // self-contained: nothing to fetch
    }

    [Fact]
    public void A_capped_page_embeds_the_unit_asked_for_and_each_listed_top_unit()
    {
        using var dir = new TempDir();
        TestCheckpoints.Write(dir.File("m.ckpt"), Small);

        var run = global::RnnLab.Tests.Support.Cli.Run(dir.Path, "activations", "--checkpoint", "m.ckpt", "--text",
            "First: the text\nof it", "--unit", "7", "--max-units", "1", "--top", "1", "--out", "capped.html");

        run.Exits(0);
        var html = File.ReadAllText(dir.File("capped.html"));
        Assert.Contains("<h2>Layer 1, unit <span id=\"unit-name\">7</span></h2>", html);
        // unit 7, then the one top unit of each feature that has one (some may coincide), and no more
        var listed = Regex.Matches(html, "data-unit=\"(\\d+)\"").Select(m => int.Parse(m.Groups[1].Value))
            .Append(7).Distinct().Order().ToArray();
        Assert.InRange(listed.Length, 2, 7);
        Assert.Equal(listed, Options(html));
        Assert.Equal(listed, EmbeddedUnits(html));
    }

    [Fact]
    public void A_long_text_is_cut_at_max_chars_with_a_note_on_the_page_in_a_new_folder()
    {
        using var dir = new TempDir();
        TestCheckpoints.Write(dir.File("m.ckpt"), Small);

        var run = global::RnnLab.Tests.Support.Cli.Run(dir.Path, "activations", "--checkpoint", "m.ckpt", "--text",
            "Say <b>& it\nab", "--max-chars", "10", "--out", "sub/act.html");

        run.Exits(0);
        var html = File.ReadAllText(dir.File("sub/act.html"));
        Assert.Equal("Say &lt;b&gt;&amp; i", TextOf(html)); // 10 characters
        Assert.DoesNotContain("<b>&", html);
        Assert.Contains("<li>the text has 14 characters; only the first 10 are read (--max-chars)</li>", html);
        Assert.Equal(["act.html"], Directory.GetFiles(dir.File("sub")).Select(Path.GetFileName));
    }

    [Fact]
    public void Bad_input_is_refused_with_exit_code_2_and_a_message_naming_the_fix()
    {
        using var dir = new TempDir();
        TestCheckpoints.Write(dir.File("m.ckpt"), Small);
        TestCheckpoints.Write(dir.File("c.ckpt"), Small, ["Czech", "Russian"]);
        dir.Write("taken.html", "mine");
        var cli = (string[] args) => global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);
        string[] ok = ["activations", "--checkpoint", "m.ckpt", "--text", "hello", "--out", "a.html"];

        var missing = cli(["activations", "--checkpoint", "nowhere", "--text", "hello"]);
        var unit = cli([.. ok, "--unit", "8"]);
        var layer = cli([.. ok, "--layer", "2"]);
        var negative = cli([.. ok, "--layer", "-1"]);
        var empty = cli(["activations", "--checkpoint", "m.ckpt", "--text", "", "--out", "a.html"]);
        var noFile = cli(["activations", "--checkpoint", "m.ckpt", "--text-file", "none.txt", "--out", "a.html"]);
        var both = cli([.. ok, "--text-file", "x.txt"]);
        var taken = cli(["activations", "--checkpoint", "m.ckpt", "--text", "hello", "--out", "taken.html"]);
        var folder = cli(["activations", "--checkpoint", "m.ckpt", "--text", "hello", "--out", "."]);
        var wrongClass = cli([.. ok, "--class", "Czech"]);
        var noClass = cli(["activations", "--checkpoint", "c.ckpt", "--text", "hello", "--out", "a.html"]);
        var withClass = cli(["activations", "--checkpoint", "c.ckpt", "--text", "Novak", "--class", "Czech", "--out",
            "c.html"]);

        Assert.Equal("rnnlab: error: checkpoint not found: nowhere (pass a run folder or a .ckpt file)\n",
            missing.Exits(2).Stderr);
        Assert.Equal("rnnlab: error: --unit 8 is out of range: each layer has 8 units (0 to 7)\n",
            unit.Exits(2).Stderr);
        Assert.Equal("rnnlab: error: --layer 2 is out of range: the model has 2 layers (0 to 1)\n",
            layer.Exits(2).Stderr);
        Assert.Equal("rnnlab: error: --layer -1 is out of range: the model has 2 layers (0 to 1)\n",
            negative.Exits(2).Stderr);
        Assert.Equal("rnnlab: error: the text is empty; pass at least 2 characters with --text or --text-file\n",
            empty.Exits(2).Stderr);
        Assert.Equal("rnnlab: error: --text-file none.txt not found\n", noFile.Exits(2).Stderr);
        Assert.Contains("--text TEXT or --text-file FILE (one of them)", both.Exits(2).Stderr);
        Assert.Equal("rnnlab: error: --out taken.html already exists; pass a new file name, or --overwrite to " +
            "replace it\n", taken.Exits(2).Stderr);
        Assert.Equal("mine", File.ReadAllText(dir.File("taken.html")));
        Assert.Equal("rnnlab: error: --out . is a folder; pass a file name for the page, such as ./activations.html\n",
            folder.Exits(2).Stderr);
        Assert.Equal("rnnlab: error: this model is not conditioned on a class; drop --class\n",
            wrongClass.Exits(2).Stderr);
        Assert.Equal("rnnlab: error: this model is conditioned on a class; pass --class NAME, one of: Czech, " +
            "Russian\n", noClass.Exits(2).Stderr);
        withClass.Exits(0);
        Assert.Contains("class Czech", File.ReadAllText(dir.File("c.html")));
        cli(["activations", "--checkpoint", "m.ckpt", "--text", "hello", "--out", "taken.html", "--overwrite"])
            .Exits(0);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(dir.File("taken.html")));
        Assert.False(File.Exists(dir.File("a.html")));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp-*"));
    }

    // the characters of the unit view, as the HTML holds them (escaped), without their elements
    private static string TextOf(string html)
    {
        var view = Regex.Match(html, "<div class=\"text\" id=\"activations\">(.*?)</div>", RegexOptions.Singleline);
        return Regex.Replace(view.Groups[1].Value, "</?i[^>]*>", "");
    }

    private static IEnumerable<int> Options(string html) =>
        Regex.Matches(html, "<option value=\"(\\d+)\"").Select(m => int.Parse(m.Groups[1].Value));

    private static int[] EmbeddedUnits(string html)
    {
        var json = Regex.Match(html, "<script type=\"application/json\" id=\"activation-data\">(.*?)</script>")
            .Groups[1].Value;
        return JsonDocument.Parse(json).RootElement.GetProperty("units").EnumerateArray()
            .Select(u => u.GetProperty("unit").GetInt32()).ToArray();
    }
}

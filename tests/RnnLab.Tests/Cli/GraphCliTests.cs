namespace RnnLab.Tests.Cli;

public sealed class GraphCliTests
{
    [Fact]
    public void Graph_writes_dot_and_refuses_bad_input()
    {
        using var dir = new TempDir();
        var cli = (string[] args) => global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);

        var run = cli(["graph", "--cell", "gru", "--layers", "1", "--hidden", "4", "--steps", "2", "--out", "g.dot"]);
        var taken = cli(["graph", "--cell", "gru", "--steps", "2", "--out", "g.svg"]);
        var both = cli(["graph", "--cell", "gru", "--checkpoint", "runs/x"]);
        var tooMany = cli(["graph", "--cell", "lstm", "--steps", "21"]);
        var extension = cli(["graph", "--cell", "lstm", "--out", "g.pdf"]);
        var shortText = cli(["graph", "--cell", "lstm", "--text", "abc", "--steps", "3", "--batch-size", "2"]);
        var badCell = cli(["graph", "--cell", "transformer"]);
        using var child = ChildProcess.Start(dir.Path, new Dictionary<string, string> { ["PATH"] = dir.Path },
            "graph", "--cell", "rnn-relu", "--steps", "1", "--out", "no-dot.svg");
        var noGraphviz = child.WaitForExit(TimeSpan.FromMinutes(3));

        run.Exits(0);
        // by hand: 3 inputs, 7 parameters, embedding, 2 selects, 19 per GRU step, stack, decoder, 3 per step's
        // loss, the loss; edges: 2 + 2 + 30 per GRU step + 2 + 3 + 4 per step's loss + 2
        Assert.Equal("recorded 60 tensors (7 parameters) and 79 edges; wrote g.dot\n",
            run.Stdout.ReplaceLineEndings("\n"));
        var dot = File.ReadAllText(dir.File("g.dot"));
        Assert.StartsWith("digraph step {", dot);
        Assert.Contains("One training step of a 1-layer gru (hidden 4), 2 steps, batch 1: loss ", dot);
        taken.Exits(2);
        Assert.StartsWith("rnnlab: error: g.dot already exists; pass a new --out (nothing is overwritten)",
            taken.Stderr);
        Assert.False(File.Exists(dir.File("g.svg")));
        both.Exits(2);
        Assert.Contains("pass one model: --checkpoint RUN or --cell KIND, not both", both.Stderr);
        tooMany.Exits(2);
        Assert.Contains("--steps must be 1 to 20 (got 21)", tooMany.Stderr);
        extension.Exits(2);
        Assert.Contains("--out g.pdf: name a .svg, .png or .dot file", extension.Stderr);
        shortText.Exits(2);
        Assert.StartsWith("rnnlab: error: --text has 3 characters; --steps 3 and --batch-size 2 need 5",
            shortText.Stderr);
        badCell.Exits(2);
        Assert.StartsWith("rnnlab: error: unknown --cell 'transformer'", badCell.Stderr);
        // no dot on PATH: the DOT file, and how to render it later
        noGraphviz.Exits(0);
        Assert.Equal("warning: no-dot.svg not drawn: Graphviz's dot is not installed (on Debian: apt-get install " +
            "graphviz); render it later with dot -Tsvg no-dot.dot -o no-dot.svg\n",
            noGraphviz.Stderr.ReplaceLineEndings("\n"));
        Assert.True(File.Exists(dir.File("no-dot.dot")));
        Assert.False(File.Exists(dir.File("no-dot.svg")));
    }

    [Fact]
    public void Graph_reads_a_checkpoint_and_a_class_conditioned_one()
    {
        using var dir = new TempDir();
        var cli = (string[] args) => global::RnnLab.Tests.Support.Cli.Run(dir.Path, args);
        var model = new ModelConfig { Cell = CellKind.Lstm, Layers = 1, Hidden = 8, Embedding = 4 };
        TestCheckpoints.Write(dir.File("plain.ckpt"), model);
        TestCheckpoints.Write(dir.File("names.ckpt"), model, ["Czech", "Russian"]);

        var plain = cli(["graph", "--checkpoint", "plain.ckpt", "--steps", "2", "--text", "To be ~", "--out", "p.dot"]);
        var chosen = cli(["graph", "--checkpoint", "names.ckpt", "--class", "Russian", "--steps", "2", "--out",
            "n.dot"]);
        var first = cli(["graph", "--checkpoint", "names.ckpt", "--steps", "2", "--out", "f.dot"]);
        var unknown = cli(["graph", "--checkpoint", "names.ckpt", "--class", "Klingon", "--out", "u.dot"]);
        var notConditioned = cli(["graph", "--checkpoint", "plain.ckpt", "--class", "Czech", "--out", "c.dot"]);
        var shaped = cli(["graph", "--checkpoint", "plain.ckpt", "--hidden", "5", "--out", "h.dot"]);

        plain.Exits(0);
        Assert.Equal("note: 1 kind of character the model does not know is read as <unk>: ~\n",
            plain.Stderr.ReplaceLineEndings("\n"));
        Assert.Contains("One training step of a 1-layer lstm (hidden 8), 2 steps, batch 1", File.ReadAllText(
            dir.File("p.dot")));
        chosen.Exits(0);
        Assert.Contains("embedding ⊕ class embedding", File.ReadAllText(dir.File("n.dot")));
        Assert.Contains("condition.weight", File.ReadAllText(dir.File("n.dot")));
        first.Exits(0);
        Assert.Contains("note: the model is conditioned on a class; drawing it for 'Czech' (choose with --class)",
            first.Stderr);
        unknown.Exits(2);
        Assert.StartsWith("rnnlab: error: unknown --class 'Klingon'", unknown.Stderr);
        shaped.Exits(2);
        Assert.Contains("--layers, --hidden, --embedding and --seed shape an untrained model (--cell); a " +
            "checkpoint's model is drawn as it was trained", shaped.Stderr);
        notConditioned.Exits(2);
        Assert.StartsWith("rnnlab: error: this model is not conditioned on a class; drop --class",
            notConditioned.Stderr);
    }
}

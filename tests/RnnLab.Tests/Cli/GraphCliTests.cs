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
        Assert.Contains("pass the model to draw: --checkpoint RUN, or --cell KIND for an untrained one", both.Stderr);
        tooMany.Exits(2);
        Assert.Contains("--steps must be 1 to 20 (got 21)", tooMany.Stderr);
        extension.Exits(2);
        Assert.Contains("--out g.pdf: name a .svg, .png or .dot file", extension.Stderr);
        shortText.Exits(2);
        Assert.StartsWith("rnnlab: error: --text has 3 characters; --steps 3 and --batch-size 2 need 5",
            shortText.Stderr);
        badCell.Exits(2);
        Assert.StartsWith("rnnlab: error: unknown --cell 'transformer'", badCell.Stderr);
    }
}

using RnnLab.Inspection;
using RnnLab.Training;

namespace RnnLab.Tests.Inspection;

public sealed class StepGraphTests
{
    [Theory]
    [InlineData(CellKind.Lstm, 2, 8)]
    [InlineData(CellKind.Gru, 2, 0)]
    [InlineData(CellKind.RnnTanh, 3, 8)]
    public void The_recorded_step_has_the_models_loss_and_every_parameters_gradient(CellKind cell, int layers,
        int embedding)
    {
        torch.manual_seed(21);
        using var model = new CharRnn(new ModelConfig
        {
            Cell = cell, Layers = layers, Hidden = 6, Embedding = embedding, Dropout = 0,
        }, vocabularySize: 9);
        using var ids = torch.randint(0, 9, [2, 5]); // (B, T + 1)

        var graph = StepGraphs.Record(model, ids);

        // the same step through the fused model, as the trainer takes it
        var (logits, _) = model.forward(ids.narrow(1, 0, 4), null);
        var loss = SequenceLoss.Mean(logits, ids.narrow(1, 1, 4), LossOn.All);
        loss.backward();
        Assert.Equal(loss.item<float>(), graph.Loss, 5);
        var parameters = graph.Graph.Nodes.Where(n => n.Kind == GraphNodeKind.Parameter)
            .ToDictionary(n => n.Label, n => n.GradientNorm!.Value);
        var expected = model.named_parameters()
            .ToDictionary(p => p.name.Replace("rnn.", ""), p => p.parameter.grad!.norm().item<float>());
        Assert.Equal(expected.Keys.Order(), parameters.Keys.Order());
        foreach (var (name, norm) in expected)
        {
            Assert.True(Math.Abs(parameters[name] - norm) <= 1e-5 * Math.Max(1, norm),
                $"{name}: recorded {parameters[name]}, fused {norm}");
        }
    }

    [Fact]
    public void An_lstm_step_records_each_gate_once_per_layer_and_step_and_shares_weights_over_time()
    {
        torch.manual_seed(22);
        using var model = new CharRnn(new ModelConfig
        {
            Cell = CellKind.Lstm, Layers = 2, Hidden = 4, Embedding = 3, Dropout = 0,
        }, vocabularySize: 7);
        using var ids = torch.randint(0, 7, [3, 4]); // B = 3, T = 3

        var graph = StepGraphs.Record(model, ids).Graph;

        var nodes = graph.Nodes;
        Assert.Equal(3 * 2 * 3, nodes.Count(n => n.Label == "sigmoid")); // i, f, o × layers × steps
        Assert.Equal(2 * 3, nodes.Count(n => n.Label == "mul → h"));
        Assert.Equal([3L, 4L], nodes.First(n => n.Label == "mul → h").Shape);
        Assert.Equal(4 * 2 + 3, nodes.Count(n => n.Kind == GraphNodeKind.Parameter)); // 4 per layer + emb + decoder
        Assert.Single(nodes, n => n.Kind == GraphNodeKind.Loss);
        var weight = nodes.Single(n => n.Label == "weight_hh_l1");
        Assert.Equal([16L, 4L], weight.Shape);
        Assert.Equal(3, graph.Edges.Count(e => e.From == weight.Id)); // one use per step: shared over time
        // 2 linear, add, 4 chunks, 3 sigmoid, 2 tanh, 3 mul (f·c, i·g, o·tanh c), add → c
        Assert.Equal(16, nodes.Count(n => n.Group == "layer 1 · t = 2"));
        var targets = nodes.Single(n => n.Label == "target ids");
        Assert.False(targets.RequiresGrad);
        Assert.True(nodes.Single(n => n.Label == "embedding").RequiresGrad);
    }

    [SkippableFact]
    public void Graphviz_dot_accepts_the_written_graph()
    {
        Skip.If(Graphviz.WhyUnavailable is not null, Graphviz.WhyUnavailable);
        torch.manual_seed(23);
        using var model = new CharRnn(new ModelConfig
        {
            Cell = CellKind.Gru, Layers = 2, Hidden = 4, Embedding = 3, Dropout = 0,
        }, vocabularySize: 5);
        using var ids = torch.randint(0, 5, [1, 3]);
        using var dir = new TempDir();
        var dot = GraphDot.Write(StepGraphs.Record(model, ids).Graph, "a \"quoted\" title\\ with a backslash");

        var problem = GraphDot.Render(dot, dir.File("step.svg"));

        Assert.Null(problem);
        var svg = File.ReadAllText(dir.File("step.svg"));
        Assert.Contains("<svg", svg);
        Assert.Contains("weight_hh_l1", svg);
        Assert.Contains("a &quot;quoted&quot; title\\ with a backslash", svg);
        Assert.Contains("loss: sum over t ÷ 2 targets", svg);
        Assert.Equal("\"say \\\"hi\\\"\\nC:\\\\tmp\"", GraphDot.Quote("say \"hi\"\nC:\\tmp"));
    }

    [Fact]
    public void The_dot_text_draws_gradient_free_inputs_dotted_and_clusters_each_layer_and_step()
    {
        torch.manual_seed(24);
        using var model = new CharRnn(new ModelConfig
        {
            Cell = CellKind.RnnTanh, Layers = 1, Hidden = 3, Embedding = 0, Dropout = 0,
        }, vocabularySize: 4);
        using var ids = torch.tensor(new long[] { 1, 2, 3 }).unsqueeze(0);
        var graph = StepGraphs.Record(model, ids).Graph;

        var dot = GraphDot.Write(graph, "title");

        var targets = graph.Nodes.Single(n => n.Label == "target ids").Id;
        var weight = graph.Nodes.Single(n => n.Label == "weight_hh_l0").Id;
        Assert.Contains($"  n{targets} -> ", dot);
        var fromTargets = dot.Split('\n').First(l => l.StartsWith($"  n{targets} -> ", StringComparison.Ordinal));
        Assert.EndsWith(" [style=dotted, color=\"#999999\"];", fromTargets);
        Assert.DoesNotContain("dotted",
            dot.Split('\n').First(l => l.StartsWith($"  n{weight} -> ", StringComparison.Ordinal)));
        Assert.Contains("subgraph \"cluster layer 0 · t = 1\" {", dot);
        Assert.Contains("subgraph \"cluster layer 0 · t = 2\" {", dot);
        Assert.DoesNotContain("t = 3", dot);
        Assert.StartsWith("digraph step {", dot);
        Assert.EndsWith("}\n", dot.ReplaceLineEndings("\n"));
    }
}

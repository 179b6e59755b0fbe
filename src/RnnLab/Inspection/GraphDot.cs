using System.Diagnostics;
using System.Text;
using RnnLab.Tracking;

namespace RnnLab.Inspection;

/// <summary>Writes a recorded computation in Graphviz's DOT language, and renders it with <c>dot</c>.</summary>
public static class GraphDot
{
    /// <summary>The DOT text of <paramref name="graph"/>: one node per tensor, clusters per layer and step.</summary>
    public static string Write(GraphRecorder graph, string title)
    {
        var dot = new StringBuilder();
        dot.AppendLine("digraph step {");
        dot.AppendLine("  graph [fontname=\"Helvetica\", fontsize=11, labelloc=t, " +
            $"label={Quote(title + "\n" + Legend)}];");
        dot.AppendLine("  node [fontname=\"Helvetica\", fontsize=9, style=\"filled,rounded\", shape=box, " +
            "fillcolor=\"#ffffff\"];");
        dot.AppendLine("  edge [color=\"#333333\", arrowsize=0.6];");
        foreach (var group in graph.Nodes.Where(n => n.Group is not null).GroupBy(n => n.Group!))
        {
            dot.AppendLine($"  subgraph {Quote("cluster " + group.Key)} {{");
            dot.AppendLine($"    label={Quote(group.Key)}; style=\"rounded,dashed\"; color=\"#999999\";");
            foreach (var node in group)
            {
                dot.AppendLine($"    {Node(node)}");
            }
            dot.AppendLine("  }");
        }
        foreach (var node in graph.Nodes.Where(n => n.Group is null))
        {
            dot.AppendLine($"  {Node(node)}");
        }
        foreach (var edge in graph.Edges)
        {
            // the gradient flows back along an edge only when its source needs one
            var style = graph.Nodes[edge.From].RequiresGrad ? "" : " [style=dotted, color=\"#999999\"]";
            dot.AppendLine($"  n{edge.From} -> n{edge.To}{style};");
        }
        dot.AppendLine("}");
        return dot.ToString();
    }

    private static readonly TimeSpan RenderLimit = TimeSpan.FromMinutes(2);

    private const string Legend =
        "Arrows: the forward computation. The gradient flows back along every solid arrow, from the loss " +
        "(red) to each parameter (blue, with the norm of its gradient); dotted arrows carry none.";

    /// <summary>
    /// Renders DOT text to <paramref name="path"/> as SVG or PNG (by its extension) with Graphviz's
    /// <c>dot</c>, written atomically. Returns null on success, else why it could not render.
    /// </summary>
    public static string? Render(string dotText, string path, CancellationToken cancel = default)
    {
        var format = Path.GetExtension(path).TrimStart('.').ToLowerInvariant();
        var start = new ProcessStartInfo("dot")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false), // labels hold ·, → and ∂
            ArgumentList = { $"-T{format}" },
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "Graphviz's dot is not installed (on Debian: apt-get install graphviz)";
        }
        using (process)
        {
            // a dot that hangs must not hang this command, nor outlive it when it is stopped
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            limit.CancelAfter(RenderLimit);
            using var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output, limit.Token);
            var errors = process.StandardError.ReadToEndAsync(limit.Token);
            try
            {
                try
                {
                    process.StandardInput.Write(dotText);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // dot exited without reading the graph; its exit code and stderr below say why
                }
                process.WaitForExitAsync(limit.Token).GetAwaiter().GetResult();
                copy.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancel.ThrowIfCancellationRequested();
                return $"dot did not finish in {RenderLimit.TotalSeconds:F0} s";
            }
            if (process.ExitCode != 0)
            {
                var why = errors.GetAwaiter().GetResult().Trim();
                return $"dot failed (exit {process.ExitCode}){(why.Length > 0 ? ": " + why : "")}";
            }
            AtomicFile.Write(path, output.ToArray());
            return null;
        }
    }

    private static string Node(GraphNode node)
    {
        var shape = node.Shape.Length == 0 ? "scalar" : $"({string.Join(", ", node.Shape)})";
        var (label, style) = node.Kind switch
        {
            GraphNodeKind.Parameter => ($"{node.Label}\n{shape}" + Gradient(node),
                "shape=box, style=filled, fillcolor=\"#cfe2ff\""),
            GraphNodeKind.Input => ($"{node.Label}\n{shape}", "shape=ellipse, style=filled, fillcolor=\"#eeeeee\""),
            GraphNodeKind.Loss => ($"{node.Label}\n{shape}", "shape=box, style=\"filled,bold\", fillcolor=\"#f8c4c4\""),
            _ => ($"{node.Label}\n{shape}", ""),
        };
        return $"n{node.Id} [label={Quote(label)}{(style.Length > 0 ? ", " + style : "")}];";
    }

    private static string Gradient(GraphNode node) => node.GradientNorm is { } norm
        ? string.Create(CultureInfo.InvariantCulture, $"\n‖∂loss/∂W‖ = {norm:0.00e+00}")
        : "";

    // a DOT double-quoted string: quotes and backslashes escaped, line breaks as \n (centred lines)
    internal static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\r", "").Replace("\n", "\\n") + "\"";
}

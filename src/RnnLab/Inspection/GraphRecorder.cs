namespace RnnLab.Inspection;

/// <summary>What a node of a recorded computation is.</summary>
public enum GraphNodeKind { Input, Parameter, Operation, Loss }

/// <summary>One tensor of a recorded computation: where it came from and its shape.</summary>
/// <param name="Group">The cluster it is drawn in ("layer 0 · t = 1"), or null for none.</param>
/// <param name="RequiresGrad">Whether the loss's gradient reaches it (false for ids, targets, zero states).</param>
public sealed record GraphNode(int Id, GraphNodeKind Kind, string Label, long[] Shape, string? Group,
    bool RequiresGrad)
{
    /// <summary>‖∂loss/∂parameter‖, filled in after backward for parameters.</summary>
    public double? GradientNorm { get; set; }
}

/// <summary>Data flows from <paramref name="From"/> into <paramref name="To"/>.</summary>
public sealed record GraphEdge(int From, int To);

/// <summary>
/// Records a computation as it runs: every operation reports its result and operands, and tensors are
/// told apart by identity, so the graph is the one the real tensors went through (TorchSharp exposes
/// no grad_fn to walk afterwards). A tensor not seen before becomes an input node.
/// </summary>
public sealed class GraphRecorder
{
    private readonly Dictionary<Tensor, int> ids = new(ReferenceEqualityComparer.Instance);
    private readonly List<GraphNode> nodes = [];
    private readonly List<GraphEdge> edges = [];
    private readonly Dictionary<Tensor, string> parameters = new(ReferenceEqualityComparer.Instance);

    public IReadOnlyList<GraphNode> Nodes => nodes;

    public IReadOnlyList<GraphEdge> Edges => edges;

    /// <summary>The cluster new operations are drawn in (null: none).</summary>
    public string? Group { get; set; }

    /// <summary>Names a parameter, so that its first use draws it as one (shared across time steps).</summary>
    public void Parameter(string name, Tensor parameter) => parameters[parameter] = name;

    /// <summary>Names an input (ids, targets, an initial state) before it is used.</summary>
    public Tensor Input(string name, Tensor input)
    {
        Node(input, GraphNodeKind.Input, name, group: null);
        return input;
    }

    /// <summary>Records <paramref name="result"/> = <paramref name="op"/>(<paramref name="operands"/>).</summary>
    public Tensor Op(string op, Tensor result, params Tensor[] operands) =>
        Record(GraphNodeKind.Operation, op, result, operands);

    /// <summary>Records the loss: the node gradients start from.</summary>
    public Tensor Loss(string label, Tensor result, params Tensor[] operands) =>
        Record(GraphNodeKind.Loss, label, result, operands);

    /// <summary>Records an operation with several results (a chunk into gates), each named.</summary>
    public Tensor[] Op(string op, Tensor[] results, string[] names, params Tensor[] operands)
    {
        for (var i = 0; i < results.Length; i++)
        {
            Record(GraphNodeKind.Operation, $"{op} → {names[i]}", results[i], operands);
        }
        return results;
    }

    /// <summary>Writes each parameter's gradient norm into its node, after backward.</summary>
    public void ReadGradients()
    {
        foreach (var (tensor, id) in ids)
        {
            if (nodes[id].Kind == GraphNodeKind.Parameter && tensor.grad is { } grad)
            {
                nodes[id].GradientNorm = grad.to(ScalarType.Float64).norm().item<double>();
            }
        }
    }

    private Tensor Record(GraphNodeKind kind, string label, Tensor result, Tensor[] operands)
    {
        var sources = operands.Select(Id).ToArray(); // operands first: they are older than the result
        var id = Node(result, kind, label, Group);
        edges.AddRange(sources.Distinct().Select(s => new GraphEdge(s, id)));
        return result;
    }

    private int Id(Tensor tensor) => ids.TryGetValue(tensor, out var id)
        ? id
        : parameters.TryGetValue(tensor, out var name)
            ? Node(tensor, GraphNodeKind.Parameter, name, group: null)
            : Node(tensor, GraphNodeKind.Input, "input", group: null);

    private int Node(Tensor tensor, GraphNodeKind kind, string label, string? group)
    {
        var id = nodes.Count;
        nodes.Add(new GraphNode(id, kind, label, tensor.shape, group, tensor.requires_grad));
        ids[tensor] = id;
        return id;
    }
}

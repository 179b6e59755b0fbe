namespace RnnLab.Models;

// B batch, T time, F features per step (H, or H + V with the output distributions), D width.

/// <summary>
/// Professor Forcing's discriminator: a bidirectional GRU reads a behaviour sequence (the
/// generator's top-layer hidden states, optionally with its output distributions), and a small MLP
/// over the two directions' final states gives the logit of "teacher-forced".
/// </summary>
public sealed class Discriminator : nn.Module<Tensor, Tensor>
{
    private readonly GRU rnn;
    private readonly Linear hidden_layer;
    private readonly Linear output;

    public Discriminator(int features, int width) : base(nameof(Discriminator))
    {
        rnn = nn.GRU(features, width, 1, batchFirst: true, bidirectional: true);
        hidden_layer = nn.Linear(2 * width, width);
        output = nn.Linear(width, 1);
        RegisterComponents();
    }

    /// <param name="behaviour">A behaviour sequence (B, T, F).</param>
    /// <returns>The logit of P(teacher-forced) per row (B).</returns>
    public override Tensor forward(Tensor behaviour)
    {
        var (_, last) = rnn.forward(behaviour); // (2, B, D): each direction after reading the whole sequence
        var both = last.permute(1, 0, 2).reshape(behaviour.shape[0], -1); // (B, 2D)
        return output.forward(hidden_layer.forward(both).relu()).squeeze(1); // (B)
    }
}

namespace RnnLab.Tests;

public sealed class EngineTests
{
    [Fact]
    public void TorchSharpLoadsAndBackpropagates()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { 1f, -2f, 3f }, requires_grad: true);

        x.pow(2).sum().backward();

        Assert.Equal(new[] { 2f, -4f, 6f }, x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void LstmForwardAndBackwardProduceGradients()
    {
        using var scope = torch.NewDisposeScope();
        using var model = new CharRnn(new ModelConfig { Hidden = 8, Embedding = 4 }, vocabularySize: 10);
        var input = torch.randint(0, 10, [2, 5]);

        var (logits, _) = model.forward(input, null);
        logits.sum().backward();

        Assert.Equal(new long[] { 2, 5, 10 }, logits.shape);
        Assert.All(model.parameters(), p => Assert.True(p.grad!.abs().sum().item<float>() > 0));
    }
}

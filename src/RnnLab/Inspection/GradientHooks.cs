namespace RnnLab.Inspection;

/// <summary>
/// Gradient hooks, the equivalent of PyTorch's <c>Tensor.register_hook</c>, which TorchSharp lacks:
/// the tensor is passed through an identity autograd function whose backward hands the incoming
/// gradient to the hook, and passes on what the hook returns (the same gradient, or a replacement).
/// </summary>
public static class GradientHooks
{
    /// <summary>
    /// <paramref name="x"/> unchanged in the forward pass; in the backward pass <paramref name="hook"/>
    /// receives dL/dx and returns the gradient to propagate (null: the one it got). Use the returned
    /// tensor in place of <paramref name="x"/>. The gradient given to the hook is freed after it
    /// returns: keep a copy (<c>grad.detach().clone()</c>) to use it later.
    /// </summary>
    public static Tensor Tap(Tensor x, Func<Tensor, Tensor?> hook) => GradientTap.apply(x, hook);

    /// <summary>Like <see cref="Tap"/>, for a hook that only looks.</summary>
    public static Tensor Observe(Tensor x, Action<Tensor> observe) => Tap(x, grad =>
    {
        observe(grad);
        return null;
    });

    private sealed class GradientTap : torch.autograd.SingleTensorFunction<GradientTap>
    {
        private const string HookKey = "hook";

        public override string Name => nameof(GradientTap);

        public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
        {
            ctx.save_data(HookKey, vars[1]);
            return ((Tensor)vars[0]).alias();
        }

        public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
        {
            var hook = (Func<Tensor, Tensor?>)ctx.get_data(HookKey);
            // one gradient per argument of apply: the tensor's, and none for the hook itself
            return [hook(grad_output) ?? grad_output, null!];
        }
    }
}

namespace RnnLab.Training;

// N, M points, H features.

/// <summary>
/// The squared maximum mean discrepancy between two point sets under a Gaussian kernel
/// k(a, b) = exp(-‖a - b‖² / (2σ²)), with σ² by the median heuristic: the (lower) median of the
/// squared distances between distinct points of both sets pooled. The biased estimate
/// mean K_xx + mean K_yy - 2 mean K_xy (diagonals included), so it is never negative and is 0 for
/// identical sets.
/// </summary>
public static class Mmd
{
    /// <param name="x">Points (N, H).</param>
    /// <param name="y">Points (M, H).</param>
    public static double RbfSquared(Tensor x, Tensor y)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var pooled = torch.cat([x, y]).to(ScalarType.Float64); // (N+M, H)
        var squared = torch.cdist(pooled, pooled).square(); // (N+M, N+M)
        var count = pooled.shape[0];
        var distinct = squared.masked_select(torch.ones(count, count, dtype: ScalarType.Bool).triu(1));
        var sigmaSquared = Math.Max(distinct.median().item<double>(), 1e-12);
        var kernel = squared.div(-2 * sigmaSquared).exp();
        var n = x.shape[0];
        var xx = kernel.narrow(0, 0, n).narrow(1, 0, n).mean();
        var yy = kernel.narrow(0, n, count - n).narrow(1, n, count - n).mean();
        var xy = kernel.narrow(0, 0, n).narrow(1, n, count - n).mean();
        return xx.add(yy).sub(xy.mul(2)).item<double>();
    }
}

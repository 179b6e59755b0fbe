namespace RnnLab.Training;

// N, M points, H features.

/// <summary>
/// The squared Fréchet distance between Gaussians fitted to two point sets (the distance FID uses):
/// ‖μx − μy‖² + tr(Σx + Σy − 2 (Σx^½ Σy Σx^½)^½), with sample means and covariances. Where the MMD
/// asks whether the sets could come from one distribution, this measures how far their first two
/// moments are apart: a free run whose states drift or shrink shows here even while its kernel MMD
/// is within noise. A finite sample puts a floor under it (covariance estimation noise), the same
/// for sets of the same sizes and dimension, so compare it between runs measured alike; with no more
/// points than dimensions the covariances are singular and most of the value is that noise.
/// Non-finite points give NaN (an overflowing free run), as the MMD does.
/// </summary>
public static class Frechet
{
    /// <param name="x">Points (N, H), N ≥ 2.</param>
    /// <param name="y">Points (M, H), M ≥ 2.</param>
    public static double Squared(Tensor x, Tensor y)
    {
        if (x.shape[0] < 2 || y.shape[0] < 2)
        {
            throw new ArgumentException($"each set needs at least 2 points, not {x.shape[0]} and {y.shape[0]}");
        }
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (a, b) = (x.to(ScalarType.Float64), y.to(ScalarType.Float64));
        if (!a.isfinite().all().item<bool>() || !b.isfinite().all().item<bool>())
        {
            return double.NaN; // eigh would fail to converge
        }
        var (meanA, meanB) = (a.mean([0]), b.mean([0])); // (H)
        var (covA, covB) = (Covariance(a, meanA), Covariance(b, meanB)); // (H, H)
        var rootA = SquareRoot(covA);
        var middle = rootA.matmul(covB).matmul(rootA);
        // symmetric in exact arithmetic; symmetrised so that eigvalsh reads both triangles alike
        var crossTrace = torch.linalg.eigvalsh(middle.add(middle.T).div(2)).clamp_min(0).sqrt().sum();
        var value = meanA.sub(meanB).square().sum()
            .add(covA.trace()).add(covB.trace()).sub(crossTrace.mul(2));
        return Math.Max(0, value.item<double>());
    }

    private static Tensor Covariance(Tensor points, Tensor mean)
    {
        var centred = points.sub(mean); // (N, H)
        return centred.T.matmul(centred).div(points.shape[0] - 1); // (H, H)
    }

    // the principal square root of a symmetric positive semi-definite matrix (tiny negative
    // eigenvalues from rounding read as 0)
    private static Tensor SquareRoot(Tensor matrix)
    {
        var (values, vectors) = torch.linalg.eigh(matrix);
        return vectors.mul(values.clamp_min(0).sqrt().unsqueeze(0)).matmul(vectors.T);
    }
}

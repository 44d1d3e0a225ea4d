using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch.NN;

/// <summary>The diagonal Gaussian's KL term of the VAE objective.</summary>
public static class Gaussian
{
    /// <summary>
    /// KL(N(mu, exp(logvar)) || N(0, I)) per element: -0.5 (1 + logvar - mu^2 - exp(logvar)).
    /// Sum over the last dimension for the KL of each example.
    /// </summary>
    public static Tensor kl_to_standard(Tensor mu, Tensor logvar)
    {
        using var scope = NewDisposeScope();
        return (logvar.add(1.0) - mu.square() - logvar.exp()).mul(-0.5).MoveToOuterDisposeScope();
    }
}

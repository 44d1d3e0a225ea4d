namespace LatentRules.Torch.NN;

/// <summary>
/// A scope in which <see cref="LoraLinear"/> skips its random initialisation: for models whose weights are about to
/// be overwritten from a checkpoint (Hugging Face's no_init_weights). TorchSharp's modules initialise natively and
/// cannot skip.
/// </summary>
public static class SkipInit
{
    [ThreadStatic] private static int _depth;

    /// <summary>Until disposed, on this thread, <see cref="Active"/> is true.</summary>
    public static IDisposable Scope() => new Token();

    /// <summary>True inside <see cref="Scope"/> on this thread.</summary>
    public static bool Active => _depth > 0;

    private sealed class Token : IDisposable
    {
        private bool _done;
        public Token() => _depth++;
        public void Dispose() { if (!_done) { _done = true; _depth--; } }
    }
}

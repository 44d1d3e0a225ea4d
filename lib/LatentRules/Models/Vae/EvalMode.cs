using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Models.Vae;

/// <summary>
/// A module in eval mode (dropout off) until disposed, then back in the mode it was in:
/// <c>using (EvalMode.Of(vae)) { ... }</c>. The one place the lab's measurements switch modes.
/// </summary>
public readonly struct EvalMode : IDisposable
{
    private readonly nn.Module _module;
    private readonly bool _wasTraining;

    private EvalMode(nn.Module module)
    {
        _module = module;
        _wasTraining = module.training;
        module.eval();
    }

    public static EvalMode Of(nn.Module module) => new(module);

    public void Dispose()
    {
        if (_wasTraining) _module.train();
    }
}

using LatentRules.Models.Vae;
using LatentRules.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatentRules.Experiments;

/// <summary>
/// The encoder side of a model after stage 1 (<see cref="FineTuning.EncoderSide"/>: copies of those parameters, by
/// name), so that several models of one seed, e.g. one per injection mode, start stage 2 from the same encoder.
/// </summary>
public sealed class EncoderStage : IDisposable
{
    private readonly Dictionary<string, Tensor> _parameters;

    private EncoderStage(Dictionary<string, Tensor> parameters) => _parameters = parameters;

    /// <summary>Copies of <paramref name="vae"/>'s encoder-side parameters.</summary>
    public static EncoderStage Of(LanguageVae vae) =>
        new(EncoderSideOf(vae).ToDictionary(p => p.name, p => p.parameter.detach().clone().DetachFromDisposeScope()));

    public IReadOnlyCollection<string> Names => _parameters.Keys;

    /// <summary>The stored value of one parameter.</summary>
    public Tensor this[string name] => _parameters.TryGetValue(name, out var t) ? t
        : throw new KeyNotFoundException($"'{name}' is not an encoder-side parameter of this stage-1 result");

    /// <summary>
    /// Sets <paramref name="vae"/>'s encoder side to these values; a missing or differently shaped parameter is named.
    /// </summary>
    public void ApplyTo(LanguageVae vae)
    {
        var targets = EncoderSideOf(vae).ToDictionary(p => p.name, p => p.parameter);
        if (!targets.Keys.ToHashSet().SetEquals(_parameters.Keys))
            throw new ArgumentException("the stage-1 result has the encoder-side parameters " +
                                        $"[{string.Join(", ", _parameters.Keys.Except(targets.Keys))}] " +
                                        "this model lacks and lacks " +
                                        $"[{string.Join(", ", targets.Keys.Except(_parameters.Keys))}]");
        using var noGrad = no_grad();
        foreach (var (name, target) in targets)
        {
            var source = _parameters[name];
            if (!source.shape.SequenceEqual(target.shape))
                throw new ArgumentException($"{name}: the stage-1 result is [{string.Join(", ", source.shape)}], " +
                    $"this model's [{string.Join(", ", target.shape)}]");
            target.copy_(source);
        }
    }

    private static IEnumerable<(string name, Parameter parameter)> EncoderSideOf(LanguageVae vae) =>
        vae.named_parameters()
            .Where(p => FineTuning.EncoderSide.Any(prefix => p.name.StartsWith(prefix, StringComparison.Ordinal)));

    public void Dispose()
    {
        foreach (var t in _parameters.Values) t.Dispose();
    }
}

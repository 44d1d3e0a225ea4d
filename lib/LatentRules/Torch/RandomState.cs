using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch;

/// <summary>
/// The CPU generator's state, for checkpoints that resume bit for bit (dropout and sampling included). Restoring is
/// validated in C#: TorchSharp 0.107's native set_rng_state has no exception guard, so libtorch's complaint about a
/// wrong tensor (a corrupted or foreign checkpoint) would terminate the process.
/// </summary>
public static class RandomState
{
    /// <summary>A copy of the CPU generator's state (uint8 [N]).</summary>
    public static Tensor Get() => torch.get_rng_state();

    /// <summary>
    /// Restores a state from <see cref="Get"/>; throws InvalidDataException naming <paramref name="source"/> for
    /// anything else.
    /// </summary>
    public static void Set(Tensor state, string source)
    {
        using var current = torch.get_rng_state();
        if (state.IsInvalid || state.dtype != ScalarType.Byte || state.dim() != 1 || state.numel() != current.numel())
            throw new InvalidDataException(
                $"{source}: not a CPU generator state (expected uint8 [{current.numel()}], got {state.Describe()})");
        using var cpu = state.device_type == DeviceType.CPU ? state.alias() : state.cpu();
        torch.set_rng_state(cpu);
    }
}

using System.Runtime.CompilerServices;

namespace LatentRules.Tests.Support;

internal static class TorchSetup
{
    // Before any test touches TorchSharp: the lab's libtorch by path, its OpenMP wait policy and thread count
    // (a test that calls only TorchSharp APIs would otherwise load it first, without them).
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Load() => LatentRules.Torch.TorchRuntime.EnsureLoaded();
}

using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch;

/// <summary>Device names as notebooks and configs give them ("auto", "cpu", "cuda", "cuda:1", "meta").</summary>
public static class Devices
{
    /// <summary>
    /// "auto" = CUDA when this process's libtorch sees a GPU, else the CPU. A CUDA request on a machine without one
    /// is an error naming the device (TorchSharp would otherwise fail later, at the first tensor).
    /// </summary>
    public static Device Resolve(string? name)
    {
        TorchRuntime.EnsureLoaded();
        string text = (name ?? "auto").Trim().ToLowerInvariant();
        if (text is "" or "auto") return cuda.is_available() ? CUDA : CPU;
        Device device;
        try { device = new Device(text); }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new ArgumentException($"unknown device '{name}': expected auto, cpu, cuda, cuda:N or meta",
                nameof(name), e);
        }
        return Require(device);
    }

    /// <summary>
    /// Returns <paramref name="device"/> when this process can make tensors there, else throws naming it.
    /// </summary>
    public static Device Require(Device device)
    {
        if (device.type == DeviceType.CUDA)
        {
            if (!cuda.is_available())
                throw new InvalidOperationException(
                    $"device '{device}' requested, but this process's libtorch sees no CUDA device (backend package: " +
                    $"{(File.Exists(Path.Combine(TorchRuntime.NativeDirectory, "libtorch_cuda.so"))
                        ? "CUDA" : "CPU-only, libtorch-cpu-linux-x64")}). " +
                    "Use device \"auto\" or \"cpu\", or build with -p:TorchBackend=cuda on a GPU machine " +
                    "(environment/README.md, 'GPU').");
            if (device.index >= cuda.device_count())
                throw new InvalidOperationException($"device '{device}' requested, but only {cuda.device_count()} " +
                    $"CUDA device(s) exist");
        }
        return device;
    }

    /// <summary>True when both name the same device (TorchSharp's Device compares by reference).</summary>
    public static bool Same(Device a, Device b) => a.type == b.type && Math.Max(a.index, 0) == Math.Max(b.index, 0);

    /// <summary>
    /// Throws naming <paramref name="what"/> when <paramref name="t"/> is not on <paramref name="expected"/>.
    /// </summary>
    public static Tensor Expect(Tensor t, Device expected, string what)
    {
        if (!Same(t.device, expected))
            throw new ArgumentException($"{what} is on {t.device} but the model is on {expected}: move it with " +
                $".to(model device)");
        return t;
    }
}

using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Notebooks;

/// <summary>
/// Outputs the library itself produces (progress lines, status): inside a notebook kernel they become an
/// output of the running cell that can be updated in place; elsewhere they are printed. Notebooks show values
/// with the kernel's own `display(x)`; the library's types render as HTML there through formatters that
/// <see cref="KernelBridge"/> registers.
/// </summary>
public static class Display
{
    /// <summary>True while a .NET Interactive kernel is running a cell on this call path.</summary>
    public static bool InNotebook => KernelBridge.InCell;

    /// <summary>Shows <paramref name="value"/>; the handle replaces it later (live progress).</summary>
    public static DisplayHandle Show(object? value)
    {
        if (KernelBridge.InCell) return new DisplayHandle(KernelBridge.Show(value));
        Console.WriteLine(Text(value));
        return new DisplayHandle(null);
    }

    /// <summary>The plain-text form of a value: tensors with their values when small, modules as their tree.</summary>
    public static string Text(object? value) => value switch
    {
        null => "null",
        IHtmlRenderable r => r.ToText(),
        Tensor t => t.IsInvalid || t.numel() > 1000 ? t.Describe() : t.ToString(TorchSharp.TensorStringStyle.Julia),
        _ => value.ToString() ?? "",
    };
}

/// <summary>One output shown by <see cref="Display.Show"/>; Update replaces it where it stands.</summary>
public sealed class DisplayHandle
{
    private readonly object? _kernelOutput;

    internal DisplayHandle(object? kernelOutput) => _kernelOutput = kernelOutput;

    public void Update(object? value)
    {
        if (_kernelOutput is not null) KernelBridge.Update(_kernelOutput, value);
        else Console.WriteLine(Display.Text(value));
    }
}

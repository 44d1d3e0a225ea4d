using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch;

/// <summary>
/// Module facts the lab prints: parameter counts, the tree with counts, the device and dtype of the weights.
/// </summary>
public static class ModuleExtensions
{
    /// <summary>Number of scalar parameters (optionally only trainable ones).</summary>
    public static long num_parameters(this nn.Module m, bool only_trainable = false) =>
        m.parameters().Where(p => !only_trainable || p.requires_grad).Sum(p => p.numel());

    /// <summary>The device of the module's first parameter (the lab's modules keep all on one device).</summary>
    public static Device Device(this nn.Module m) =>
        m.parameters().FirstOrDefault()?.device
            ?? throw new InvalidOperationException($"{m.GetName()} has no parameters, so no device");

    /// <summary>The module tree with parameter counts ("decoder (Qwen2ForCausalLM)  params 1,234").</summary>
    public static string Tree(this nn.Module m)
    {
        var sb = new StringBuilder();
        Describe(m, sb, m.GetType().Name, 0);
        return sb.ToString();
    }

    private static void Describe(nn.Module m, StringBuilder sb, string name, int depth)
    {
        long total = m.num_parameters();
        sb.Append(' ', depth * 2).Append(name).Append(" (").Append(m.GetType().Name).Append(')')
            .Append($"  params {total:N0}").AppendLine();
        foreach (var (childName, child) in m.named_children()) Describe(child, sb, childName, depth + 1);
    }
}

using System.Text.RegularExpressions;
using LatentRules.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatentRules.Analysis.ParameterSpace;

/// <summary>
/// Named sets of a VAE's weight matrices, the groups whose tangent kernels the study compares. Of the encoder
/// (<see cref="Of"/>): "all" (every encoder parameter), "attention" (query, key, value and output projections
/// of every layer), "ffn" (the two feed-forward matrices of every layer), and the same two per layer
/// ("attention.layer0", "ffn.layer0", ...); names follow the Hugging Face BERT checkpoint. Of the decoder
/// (<see cref="OfDecoder"/>): the same groups over the Qwen2 layers (q/k/v/o_proj; gate/up/down_proj).
/// </summary>
public static partial class ParameterGroups
{
    [GeneratedRegex(
        @"^encoder\.encoder\.layer\.(?<layer>\d+)\.attention\.(self\.(query|key|value)|output\.dense)\.weight$")]
    private static partial Regex Attention();

    [GeneratedRegex(@"^encoder\.encoder\.layer\.(?<layer>\d+)\.(intermediate\.dense|output\.dense)\.weight$")]
    private static partial Regex FeedForward();

    [GeneratedRegex(@"^decoder\.model\.layers\.(?<layer>\d+)\.self_attn\.(q|k|v|o)_proj\.weight$")]
    private static partial Regex DecoderAttention();

    [GeneratedRegex(@"^decoder\.model\.layers\.(?<layer>\d+)\.mlp\.(gate|up|down)_proj\.weight$")]
    private static partial Regex DecoderFeedForward();

    /// <summary>
    /// Encoder groups of a module whose parameters are named like <c>LanguageVae</c>'s (encoder.encoder.layer.N...).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(string name, Parameter parameter)>> Of(nn.Module vae) =>
        Groups(vae, "encoder.", Attention(), FeedForward());

    /// <summary>Decoder groups (decoder.model.layers.N...): for fine-tuning comparisons on the Qwen2 side.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(string name, Parameter parameter)>> OfDecoder(
        nn.Module vae) =>
        Groups(vae, "decoder.", DecoderAttention(), DecoderFeedForward());

    private static IReadOnlyDictionary<string, IReadOnlyList<(string name, Parameter parameter)>> Groups(nn.Module vae,
        string part, Regex attention, Regex feedForward)
    {
        var all = vae.named_parameters().Where(p => p.name.StartsWith(part, StringComparison.Ordinal)).ToList();
        if (all.Count == 0)
            throw new ArgumentException($"the module has no parameters named {part}*: pass a LanguageVae");
        var groups = new Dictionary<string, List<(string, Parameter)>>(StringComparer.Ordinal)
        {
            ["all"] = all,
            ["attention"] = new(), ["ffn"] = new()
        };
        foreach (var (name, p) in all)
        {
            foreach (var (kind, pattern) in new[] { ("attention", attention), ("ffn", feedForward) })
            {
                var m = pattern.Match(name);
                if (!m.Success) continue;
                groups[kind].Add((name, p));
                string perLayer = $"{kind}.layer{m.Groups["layer"].Value}";
                if (!groups.TryGetValue(perLayer, out var list)) groups[perLayer] = list = new();
                list.Add((name, p));
            }
        }
        return groups
            .OrderBy(g => g.Key.Contains('.') ? 1 : 0).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<(string, Parameter)>)g.Value);
    }
}

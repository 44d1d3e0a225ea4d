using System.Text;
using Microsoft.ML.Tokenizers;

namespace LatentRules.Tokenizers;

/// <summary>
/// Unicode NFC, the normaliser Qwen's tokenizer.json names (Microsoft.ML.Tokenizers has none built in).
/// </summary>
public sealed class NfcNormalizer : Normalizer
{
    public static readonly NfcNormalizer Instance = new();

    /// <summary>The text must hold no lone surrogates (string.Normalize throws on them).</summary>
    public override string Normalize(string original) => original.Normalize(NormalizationForm.FormC);

    public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());
}

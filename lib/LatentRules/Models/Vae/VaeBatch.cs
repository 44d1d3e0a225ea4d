using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Models.Vae;

/// <summary>
/// One training batch for the VAE: the encoder reads each example's encoder ids; the decoder reads its decoder
/// ids without the last and predicts them without the first (teacher forcing), scored only after the prompt.
/// Rows are right-padded; padded and prompt targets are -100, so the loss ignores them.
/// </summary>
public sealed class VaeBatch : IDisposable
{
    public Tensor EncoderIds { get; }     // [B, T]
    public Tensor EncoderMask { get; }    // [B, T]  1 token, 0 padding
    public Tensor DecoderIds { get; }     // [B, Td-1]
    public Tensor DecoderMask { get; }    // [B, Td-1]
    public Tensor Targets { get; }        // [B, Td-1] next tokens, -100 at padding and inside the prompt
    public Tensor? Rules { get; }         // [B] rule labels, when given
    public int Count { get; }             // B, the sequences in the batch

    /// <summary>
    /// Autoencoding batch: each sequence ([BOS] ... [EOS]) is read by the encoder and reconstructed by the decoder.
    /// </summary>
    public VaeBatch(IReadOnlyList<int[]> sequences, int padId, IReadOnlyList<int>? rules, Device device)
        : this(Autoencoding(sequences, rules), (PadIds)padId, device) { }

    /// <summary>
    /// Any mix of autoencoding and inference examples. Rule labels come from the sequences: all or none must
    /// have one. Encoder rows are padded with <c>padIds.Encoder</c>, decoder rows with <c>padIds.Decoder</c>.
    /// </summary>
    public VaeBatch(IReadOnlyList<VaeSequence> sequences, PadIds padIds, Device device)
    {
        if (sequences.Count == 0) throw new ArgumentException("a batch needs at least one sequence");
        foreach (var s in sequences) s.Validate();
        int labelled = sequences.Count(s => s.Rule is not null);
        if (labelled != 0 && labelled != sequences.Count)
            throw new ArgumentException($"{labelled} of {sequences.Count} sequences have a rule label: give all or " +
                $"none");
        Count = sequences.Count;
        int b = Count, te = sequences.Max(s => s.Encoder.Length), td = sequences.Max(s => s.Decoder.Length) - 1;
        var ids = new long[b * te];
        var mask = new long[b * te];
        var decIds = new long[b * td];
        var decMask = new long[b * td];
        var targets = new long[b * td];
        Array.Fill(ids, padIds.Encoder);
        Array.Fill(decIds, padIds.Decoder);
        Array.Fill(targets, -100);
        for (int r = 0; r < b; r++)
        {
            var s = sequences[r];
            for (int k = 0; k < s.Encoder.Length; k++) { ids[r * te + k] = s.Encoder[k]; mask[r * te + k] = 1; }
            for (int k = 0; k + 1 < s.Decoder.Length; k++)
            {
                decIds[r * td + k] = s.Decoder[k];
                decMask[r * td + k] = 1;
                // prompt tokens are given, not predicted
                if (k + 1 >= s.PromptLength) targets[r * td + k] = s.Decoder[k + 1];
            }
        }
        EncoderIds = tensor(ids, new long[] { b, te }, device: device).DetachFromDisposeScope();
        EncoderMask = tensor(mask, new long[] { b, te }, device: device).DetachFromDisposeScope();
        DecoderIds = tensor(decIds, new long[] { b, td }, device: device).DetachFromDisposeScope();
        DecoderMask = tensor(decMask, new long[] { b, td }, device: device).DetachFromDisposeScope();
        Targets = tensor(targets, new long[] { b, td }, device: device).DetachFromDisposeScope();
        Rules = labelled == 0 ? null
            : tensor(sequences.Select(x => (long)x.Rule!.Value).ToArray(), device: device).DetachFromDisposeScope();
    }

    private static List<VaeSequence> Autoencoding(IReadOnlyList<int[]> sequences, IReadOnlyList<int>? rules)
    {
        if (sequences.Any(s => s.Length < 2)) throw new ArgumentException("every sequence needs at least BOS and EOS");
        if (rules is not null && rules.Count != sequences.Count)
            throw new ArgumentException($"{rules.Count} rule labels for {sequences.Count} sequences");
        return sequences.Select((s, i) => VaeSequence.Autoencode(s, rules?[i])).ToList();
    }

    public VaeLoss Loss(LanguageVae vae, double beta) =>
        vae.Loss(EncoderIds, EncoderMask, DecoderIds, DecoderMask, Targets, beta, Rules);

    public void Dispose()
    {
        EncoderIds.Dispose(); EncoderMask.Dispose(); DecoderIds.Dispose(); DecoderMask.Dispose(); Targets.Dispose();
        Rules?.Dispose();
    }
}

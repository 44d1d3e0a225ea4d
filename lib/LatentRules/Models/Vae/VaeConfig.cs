using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;

namespace LatentRules.Models.Vae;

/// <summary>Where the latent z enters the decoder (the study compares them); combine with |.</summary>
[Flags]
public enum Injection
{
    None = 0,
    Memory = 1,     // one extra key/value slot per layer from z (Optimus)
    KeyValue = 2,   // a projection of z added to every key and value
    Query = 4,      // a projection of z added to every query
    Embedding = 8,  // a projection of z added to every token embedding
}

/// <summary>A language VAE's settings. Defaults are the small CPU configuration; comments give the paper's.</summary>
public sealed record VaeConfig
{
    // bert-base-cased in the paper
    public BertConfig Encoder { get; init; } = new();
    // Qwen2.5-0.5B in the paper
    public Qwen2Config Decoder { get; init; } = Qwen2Config.Tiny();
    // z dimensions (paper: 32)
    public int LatentSize { get; init; } = 32;
    // "mean" over tokens or "cls" (first token)
    public string Pooling { get; init; } = "mean";
    // the study's best: Query
    public Injection Injection { get; init; } = Injection.Query;
    // rule classes for supervision (0: none)
    public int RuleCount { get; init; } = 0;
    // lambda of the rule classifier loss (paper: 0.1-1.0)
    public double RuleWeight { get; init; } = 0.5;
    // also give the rule label to the decoder
    public bool RuleToDecoder { get; init; } = false;
    // per-dimension KL floor in nats (0: off)
    public double FreeBits { get; init; } = 0;

    public VaeConfig Validate()
    {
        Encoder.Validate();
        Decoder.Validate();
        if (LatentSize <= 0) throw new ArgumentException($"LatentSize must be positive, got {LatentSize}");
        if (Pooling is not ("mean" or "cls"))
            throw new ArgumentException($"Pooling must be 'mean' or 'cls', got '{Pooling}'");
        if (Injection == Injection.None)
            throw new ArgumentException("choose at least one Injection (Memory, KeyValue, Query, Embedding)");
        if (RuleToDecoder && RuleCount <= 0) throw new ArgumentException("RuleToDecoder needs RuleCount > 0");
        return this;
    }
}

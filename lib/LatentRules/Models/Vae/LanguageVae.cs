using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Torch;
using LatentRules.Torch.NN;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatentRules.Models.Vae;

/// <summary>The parts of one ELBO evaluation (all scalars, batch means).</summary>
public sealed record VaeLoss(
    Tensor Total,          // reconstruction + beta * KL + lambda * rule loss
    Tensor Reconstruction, // token cross-entropy per example (padding ignored), summed over tokens
    Tensor Kl,             // KL(q(z|x) || N(0, I)) per example, after the free-bits floor
    Tensor? Rule,          // rule-classifier cross-entropy, when supervised
    Tensor KlPerDimension, // [latent]: mean KL of each dimension before the floor (for active-unit checks)
    Tensor? RuleAccuracy = null); // share of the batch whose rule the classifier on z gets right, when supervised

/// <summary>
/// A Transformer language VAE: a BERT-style encoder reads the input, pools it into the mean and log-variance of
/// z; a Qwen2 decoder generates text conditioned on z through the chosen injection; an optional classifier on z
/// (and optionally the label given to the decoder) supervises the rule.
/// </summary>
public sealed class LanguageVae : nn.Module
{
    public BertEncoder encoder;
    public LoraLinear to_latent;                 // pooled hidden -> [mu, logvar]
    public LatentInjection injection;
    public Qwen2ForCausalLM decoder;
    public LoraLinear? rule_classifier;
    public Embedding? rule_embedding;        // the label given to the decoder (added to z's embedding shift)
    public VaeConfig Config { get; }

    public LanguageVae(VaeConfig config) : this(config, null) { }

    /// <summary>
    /// A VAE around an existing decoder, e.g. Qwen2.5-0.5B from <see cref="Qwen2ForCausalLM.FromPretrained"/>; the
    /// config's Decoder is taken from it. The new parts (encoder, latent maps, injection) are made in the decoder's
    /// dtype and on its device.
    /// </summary>
    public LanguageVae(VaeConfig config, Qwen2ForCausalLM? pretrainedDecoder)
        : this(config, pretrainedDecoder, null) { }

    /// <summary>
    /// A VAE around an existing decoder and/or encoder (e.g. bert-base-cased from <see cref="BertCheckpoint.Load"/>);
    /// the config's Encoder and Decoder are taken from them.
    /// </summary>
    public LanguageVae(VaeConfig config, Qwen2ForCausalLM? pretrainedDecoder, BertEncoder? pretrainedEncoder)
        : base(nameof(LanguageVae))
    {
        if (pretrainedDecoder is not null) config = config with { Decoder = pretrainedDecoder.Config };
        if (pretrainedEncoder is not null) config = config with { Encoder = pretrainedEncoder.Config };
        Config = config.Validate();
        // Parts that do not depend on the injection mode are drawn first, so that models of one seed with different
        // injections start from identical encoder, decoder and classifier weights and differ only in the injection.
        encoder = pretrainedEncoder ?? new BertEncoder(config.Encoder);
        to_latent = new LoraLinear(config.Encoder.HiddenSize, 2 * config.LatentSize);
        decoder = pretrainedDecoder ?? new Qwen2ForCausalLM(config.Decoder);
        if (config.RuleCount > 0) rule_classifier = new LoraLinear(config.LatentSize, config.RuleCount);
        if (config.RuleToDecoder) rule_embedding = nn.Embedding(config.RuleCount, config.Decoder.HiddenSize);
        injection = new LatentInjection(config);
        RegisterComponents();
        if (pretrainedDecoder is not null)
        {
            var w = pretrainedDecoder.model.embed_tokens.weight!;
            foreach (var (name, child) in named_children().Where(c => c.name != "decoder").ToList())
                child.to(w.device).to(w.dtype);
        }
    }

    /// <summary>Posterior mean and log-variance [B, latent] of encoder ids/mask [B, T].</summary>
    public (Tensor mu, Tensor logvar) Encode(Tensor ids, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var hidden = encoder.forward(ids, mask);                                             // [B, T, H]
        Tensor pooled;
        if (Config.Pooling == "cls") pooled = hidden.select(1, 0);                           // [B, H]
        else
        {
            var m = mask.to(hidden.dtype).unsqueeze(-1);                                     // [B, T, 1]
            pooled = (hidden * m).sum(1) / m.sum(1).clamp_min(1.0);                          // [B, H]
        }
        var stats = to_latent.forward(pooled).chunk(2, -1);                                  // 2 x [B, latent]
        return (stats[0].MoveToOuterDisposeScope(), stats[1].MoveToOuterDisposeScope());
    }

    /// <summary>z = mu + exp(logvar / 2) * eps (the reparameterisation trick; gradients reach mu and logvar).</summary>
    public static Tensor Reparameterize(Tensor mu, Tensor logvar)
    {
        using var scope = NewDisposeScope();
        return (mu + (logvar * 0.5).exp() * randn_like(mu)).MoveToOuterDisposeScope();
    }

    /// <summary>Decoder logits [B, T, vocab] for decoder ids/mask [B, T] conditioned on z [B, latent].</summary>
    public Tensor DecodeLogits(Tensor z, Tensor ids, Tensor mask, Tensor? rules = null)
    {
        using var scope = NewDisposeScope();
        var embeds = injection.Embed(decoder.model.embed_tokens.forward(ids), z);            // [B, T, hidden]
        if (rule_embedding is not null)
            embeds = embeds + rule_embedding.forward(rules
                ?? throw new ArgumentException("this VAE gives the rule to the decoder: pass rules")).unsqueeze(1);
        return decoder.forward(inputEmbeds: embeds, attentionMask: mask, latents: injection.Layers(z))
            .MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The loss of a batch: decoder predicts targets [B, T] (use -100 for positions that do not count) from its
    /// inputs; beta weighs the KL. With free bits, each dimension's batch-mean KL is floored at FreeBits.
    /// </summary>
    public VaeLoss Loss(Tensor encIds, Tensor encMask, Tensor decIds, Tensor decMask, Tensor targets, double beta,
        Tensor? rules = null)
    {
        var device = to_latent.weight.device;
        Devices.Expect(encIds, device, "encoder ids");
        Devices.Expect(decIds, device, "decoder ids");
        Devices.Expect(targets, device, "targets");
        using var scope = NewDisposeScope();
        var (mu, logvar) = Encode(encIds, encMask);
        var z = training ? Reparameterize(mu, logvar) : mu;
        var logits = Float32(DecodeLogits(z, decIds, decMask, rules));                       // [B, T, V]
        long b = targets.size(0);
        var tokenLoss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1),
            reduction: nn.Reduction.Sum) / (double)b;
        // [B, latent]
        var klElements = Gaussian.kl_to_standard(Float32(mu), Float32(logvar));
        var klPerDim = klElements.mean(new long[] { 0 });                                                    // [latent]
        var kl = Config.FreeBits > 0 ? klPerDim.clamp_min(Config.FreeBits).sum() : klPerDim.sum();
        Tensor? ruleLoss = null, ruleAccuracy = null;
        var total = tokenLoss + kl * beta;
        if (rule_classifier is not null && rules is not null)
        {
            var ruleLogits = Float32(rule_classifier.forward(z));                            // [B, rules]
            ruleLoss = F.cross_entropy(ruleLogits, rules);
            ruleAccuracy = ruleLogits.detach().argmax(-1).eq(rules).to(ScalarType.Float64).mean();
            total = total + ruleLoss * Config.RuleWeight;
        }
        return new VaeLoss(total.MoveToOuterDisposeScope(), tokenLoss.MoveToOuterDisposeScope(),
            kl.MoveToOuterDisposeScope(),
            ruleLoss?.MoveToOuterDisposeScope(), klPerDim.detach().MoveToOuterDisposeScope(),
            ruleAccuracy?.MoveToOuterDisposeScope());
    }

    // bf16 / f16 models: losses and the KL in float32 (no loss scaling is needed for bf16, whose exponent range is
    // float32's; the softmax of a cross-entropy over a vocabulary is where half precision loses most).
    private static Tensor Float32(Tensor t) =>
        t.dtype is ScalarType.BFloat16 or ScalarType.Float16 ? t.to(ScalarType.Float32) : t;
}

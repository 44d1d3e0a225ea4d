using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Tests.Support;
using LatentRules.Torch;
using LatentRules.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Tests.Training;

/// <summary>
/// Every tensor follows the model's device. This machine has no GPU, so the model goes to libtorch's `meta` device
/// (shapes and dtypes, no data): any tensor a code path made on the CPU instead (a batch, a mask, RoPE tables, a
/// latent) meets the model's meta tensors and libtorch refuses the mix, so these tests fail when one is missed.
/// </summary>
[Collection("torch")]
public sealed class DeviceTests
{
    private static LanguageVae MetaVae()
    {
        manual_seed(3);
        var vae = new LanguageVae(
            TinyVae.Sized(vocab: 20, hidden: 16, encoderLayers: 1, heads: 2, intermediate: 32, kvHeads: 1) with
            {
                LatentSize = 4,
                Injection = Injection.Query | Injection.Memory,
                RuleCount = 2,
            });
        vae.to(META);
        return vae;
    }

    private static readonly int[][] Sequences = { new[] { 1, 5, 6, 7, 2 }, new[] { 1, 8, 2 } };

    [Fact]
    public void DecoderStepsWithCacheAndLatentsStayOnTheModelsDevice()
    {
        // libtorch 2.10 has no meta kernel for index_select (embeddings), so the decoder starts from embeddings here:
        // positions, the causal and padding masks, RoPE tables, the KV cache, latents and attention are all made
        // inside.
        using var vae = MetaVae();
        using var scope = NewDisposeScope();
        var z = randn(new long[] { 2, 4 }, device: vae.Device());
        var latents = vae.injection.Layers(z);
        using var cache = vae.decoder.NewCache();
        var embeds = randn(new long[] { 2, 3, 16 }, device: vae.Device());
        var mask = ones(new long[] { 2, 3 }, ScalarType.Int64, vae.Device());
        var logits = vae.decoder.forward(inputEmbeds: embeds, attentionMask: mask, cache: cache, latents: latents);
        Assert.Equal(new long[] { 2, 3, 20 }, logits.shape);
        Assert.Equal(DeviceType.META, logits.device_type);
        var next = vae.decoder.forward(inputEmbeds: randn(new long[] { 2, 1, 16 }, device: vae.Device()),
            // a generation step
            attentionMask: ones(new long[] { 2, 4 }, ScalarType.Int64, vae.Device()), cache: cache, latents: latents);
        Assert.Equal(DeviceType.META, next.device_type);
        Assert.Equal(4, cache.Length);
        // The encoder's self-attention with its padding mask (LayerNorm has no meta kernel either), and the backward
        // pass through the decoder.
        var hidden = randn(new long[] { 2, 3, 16 }, device: vae.Device(), requires_grad: true);
        var encoded =
            vae.encoder.encoder.layer[0].attention.self.forward(hidden, LatentRules.Torch.NN.Masks.keys(mask));
        Assert.Equal(DeviceType.META, encoded.device_type);
        logits.sum().backward();
        Assert.Equal(DeviceType.META, vae.decoder.model.norm.weight.grad!.device_type);
    }

    [Fact]
    public void ABatchOnAnotherDeviceIsRefusedNamingBoth()
    {
        using var vae = MetaVae();
        using var batch = new VaeBatch(Sequences, 0, new[] { 0, 1 }, CPU);
        var e = Assert.Throws<ArgumentException>(() => batch.Loss(vae, beta: 0.5));
        Assert.Contains("encoder ids is on cpu but the model is on meta", e.Message);
    }

    [Fact]
    public void TheTrainerMovesTheModelAndBuildsItsBatchesOnTheConfiguredDevice()
    {
        manual_seed(3);
        using var vae = new LanguageVae(
            TinyVae.Sized(vocab: 20, hidden: 16, encoderLayers: 1, heads: 2, intermediate: 32, kvHeads: 1) with
            {
                LatentSize = 4,
                Injection = Injection.Query,
                RuleCount = 2,
            });
        var trainer = new VaeTrainer(vae, new TrainerConfig { Device = "meta", Steps = 1, BatchSize = 2 }, padIds: 0);
        // The model moves to meta and the step gets past the batch's device check into the forward pass, where meta's
        // missing embedding kernel stops it. A batch built on the CPU would have been refused by that check instead.
        var e = Assert.ThrowsAny<Exception>(() => trainer.Run(Sequences, new[] { 0, 1 }));
        Assert.DoesNotContain("but the model is on", e.Message);
        Assert.Contains("Meta", e.Message);
        Assert.Equal(DeviceType.META, vae.Device().type);
    }

    [Fact]
    public void ACudaRequestWithoutCudaNamesTheDevice()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Devices.Resolve("cuda:1"));
        Assert.Contains("device 'cuda:1' requested", e.Message);
        Assert.Equal(DeviceType.CPU, Devices.Resolve("auto").type);
        using var vae = MetaVae();
        var trainer = new VaeTrainer(vae, new TrainerConfig { Device = "cuda", Steps = 1 }, padIds: 0);
        Assert.Contains("device 'cuda' requested",
            Assert.Throws<InvalidOperationException>(() => trainer.Run(Sequences, new[] { 0, 1 })).Message);
    }
}

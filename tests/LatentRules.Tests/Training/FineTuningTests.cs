using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Tests.Support;
using LatentRules.Torch;
using LatentRules.Torch.NN;
using LatentRules.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Tests.Training;

[Collection("torch")]
public sealed class FineTuningTests
{
    [Fact]
    public void LoraAddsALowRankUpdateThatStartsAtZeroAndMergesExactly()
    {
        manual_seed(1);
        using var layer = new LoraLinear(6, 4);
        using var x = randn(new long[] { 3, 6 }, float64);
        layer.to(float64);
        using var before = layer.forward(x);
        layer.add_lora(r: 2, alpha: 6);
        Assert.Equal(new[] { "weight", "bias", "lora_A.weight", "lora_B.weight" },
            layer.named_parameters().Select(p => p.name));
        using (var same = layer.forward(x))
            Assert.True(allclose(same, before, rtol: 0, atol: 1e-15), "a fresh adapter changed the output");
        using (no_grad()) layer.lora_B!.weight.copy_(randn(new long[] { 4, 2 }, float64));
        // Hand formula: x W^T + b + (alpha / r) x A^T B^T.
        using var expected = Ops.matmul(x, layer.weight.t()) + layer.bias!
            + Ops.matmul(Ops.matmul(x, layer.lora_A!.weight.t()), layer.lora_B.weight.t()) * 3.0;
        using var adapted = layer.forward(x);
        Assert.True(allclose(adapted, expected, rtol: 1e-12, atol: 1e-12));
        layer.merge_lora();
        Assert.Null(layer.lora_A);
        Assert.Equal(new[] { "weight", "bias" }, layer.named_parameters().Select(p => p.name));
        using var merged = layer.forward(x);
        Assert.True(allclose(merged, expected, rtol: 1e-12, atol: 1e-12), "merging changed the function");
        Assert.Throws<InvalidOperationException>(() => layer.merge_lora());
    }

    [Fact]
    public void OnlyTheAdaptersAndTheInjectionTrain()
    {
        manual_seed(2);
        using var vae = new LanguageVae(
            TinyVae.Sized(vocab: 20, hidden: 16, encoderLayers: 1, heads: 2, intermediate: 24, kvHeads: 1) with
            {
                LatentSize = 3,
                Injection = Injection.Query,
            });
        var lora = FineTuning.AddLora(vae.decoder, new[] { "q_proj", "v_proj" }, r: 2, alpha: 4, prefix: "decoder.");
        Assert.Equal(2 * 2 * 2, lora.Count);                                    // 2 layers x 2 projections x (A, B)
        Assert.Contains("decoder.model.layers.1.self_attn.v_proj.lora_B.weight", lora);
        var names = vae.named_parameters().Select(p => p.name).ToHashSet();
        Assert.All(lora, n => Assert.Contains(n, names));

        var before = vae.named_parameters().ToDictionary(p => p.name, p => p.parameter.to(float64).ToArray<double>());
        var seqs = Enumerable.Range(0, 16).Select(i => new[] { 1, 3 + i % 10, 4 + i % 7, 2 }).ToList();
        var config = new TrainerConfig
        {
            Steps = 5, BatchSize = 8, WarmupSteps = 1,
            TrainOnly = lora.Concat(new[] { "injection." }).ToList()
        };
        new VaeTrainer(vae, config, 0).Run(seqs, null);
        foreach (var (name, p) in vae.named_parameters())
        {
            bool changed = !before[name].SequenceEqual(p.to(float64).ToArray<double>());
            bool trainable = name.StartsWith("injection.", StringComparison.Ordinal) || lora.Contains(name);
            // lora_A gets no gradient while lora_B is still zero at the first step, but moves after B does.
            Assert.True(changed == trainable, $"{name}: changed {changed}, trainable {trainable}");
        }
        Assert.Equal(4, FineTuning.MergeLora(vae));
        Assert.Equal(new[] { "decoder.model.layers.0.mlp.", "decoder.model.layers.3.mlp." },
            FineTuning.DecoderLayers("mlp", new[] { 0, 3 }));
        Assert.Contains("'mlp' (FFN) or 'self_attn'",
            Assert.Throws<ArgumentException>(() => FineTuning.DecoderLayers("ffn", new[] { 0 })).Message);
    }

    [Fact]
    public void AVaeWrapsAPretrainedDecoderFolderInItsDtype()
    {
        string dir = Directory.CreateTempSubdirectory("lr-pretrained-").FullName;
        try
        {
            manual_seed(3);
            var config = Qwen2Config.Tiny(vocab: 24) with
            {
                HiddenSize = 16,
                IntermediateSize = 24,
                NumAttentionHeads = 2,
                NumKeyValueHeads = 1
            };
            using (var original = new Qwen2ForCausalLM(config)) original.SavePretrained(dir);
            var decoder = Qwen2ForCausalLM.FromPretrained(dir, float64);
            var saved = decoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray<double>());
            using var vae = new LanguageVae(new VaeConfig
            {
                Encoder = new BertConfig
                {
                    VocabSize = 24, HiddenSize = 16, NumHiddenLayers = 1, NumAttentionHeads = 2,
                    IntermediateSize = 24
                },
                // Decoder left at its default: the folder's config replaces it
                LatentSize = 3, Injection = Injection.Query,
            }, decoder);
            Assert.Same(decoder, vae.decoder);
            Assert.Equal(config.HiddenSize, vae.Config.Decoder.HiddenSize);
            // the new parts follow the decoder's dtype
            Assert.All(vae.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
            foreach (var (name, value) in vae.decoder.state_dict()) Assert.Equal(saved[name], value.ToArray<double>());
            using var batch = new VaeBatch(new[] { new[] { 1, 5, 6, 2 } }, 0, null, CPU);
            Assert.True(double.IsFinite(batch.Loss(vae, 1.0).Total.ToDouble()));
        }
        finally { Directory.Delete(dir, true); }
    }
}

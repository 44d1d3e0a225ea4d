using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Torch;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LatentRules.Tests.Vae;

[Collection("torch")]
public sealed class LanguageVaeTests(ITestOutputHelper output)
{
    private static VaeConfig Small(Injection injection, int rules = 0) => new()
    {
        Encoder = new BertConfig
        {
            VocabSize = 30, HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 4,
            IntermediateSize = 64, HiddenDropout = 0, AttentionDropout = 0
        },
        Decoder = Qwen2Config.Tiny(vocab: 30) with
        {
            HiddenSize = 32,
            IntermediateSize = 64,
            NumAttentionHeads = 4,
            NumKeyValueHeads = 2
        },
        LatentSize = 8, Injection = injection, RuleCount = rules,
    };

    [Fact]
    public void EncoderParameterNamesFollowTheHuggingFaceBertCheckpoint()
    {
        using var bert = new BertEncoder(new BertConfig());
        var names = bert.named_parameters().Select(p => p.name).ToHashSet();
        foreach (var expected in new[]
        {
            "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
            "embeddings.token_type_embeddings.weight",
            "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias", "encoder.layer.0.attention.self.query.weight",
            "encoder.layer.0.attention.self.key.bias", "encoder.layer.0.attention.output.dense.weight",
            "encoder.layer.0.attention.output.LayerNorm.weight", "encoder.layer.0.intermediate.dense.weight",
            "encoder.layer.1.output.dense.weight", "encoder.layer.1.output.LayerNorm.bias",
        })
            Assert.Contains(expected, names);
        Assert.Equal(5 + 2 * 16, names.Count);            // 5 embedding tensors, 16 per layer
        Assert.Equal(new long[] { 64, 128 },
            bert.named_parameters().Single(p => p.name == "encoder.layer.0.output.dense.weight").parameter.shape);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WithZeroSublayerOutputsOnlyTheLayerNormsRemain(bool preLayerNorm)
    {
        // With the attention and FFN output projections at zero every sublayer adds nothing, so post-LN gives
        // LN_ffn(LN_attention(e)) and pre-LN gives final_LN(e), e being the normalised embeddings.
        manual_seed(5);
        using var bert = new BertEncoder(new BertConfig
        {
            VocabSize = 10, HiddenSize = 8, NumHiddenLayers = 1,
            NumAttentionHeads = 2, IntermediateSize = 16, PreLayerNorm = preLayerNorm
        });
        bert.eval();
        var layer = bert.encoder.layer[0];
        using (no_grad())
        {
            foreach (var linear in new[] { layer.attention.output.dense, layer.output.dense })
            { linear.weight.zero_(); linear.bias!.zero_(); }
            foreach (var norm in new[] { layer.attention.output.LayerNorm, layer.output.LayerNorm }
                         .Concat(bert.encoder.final_layer_norm is { } f ? new[] { f } : []))
            { norm.weight!.uniform_(0.5, 1.5); norm.bias!.uniform_(-0.5, 0.5); }
        }
        Assert.Equal(preLayerNorm, bert.encoder.final_layer_norm is not null);
        using var ids = tensor(new long[] { 1, 4, 7, 2 }, new long[] { 1, 4 });
        using var mask = ones_like(ids);
        using var output = bert.forward(ids, mask);                                                // [1, 4, 8]
        using var e = bert.embeddings.LayerNorm.forward(bert.embeddings.word_embeddings.forward(ids)
            + bert.embeddings.position_embeddings.forward(arange(4).unsqueeze(0))
            + bert.embeddings.token_type_embeddings.forward(zeros_like(ids)));
        using var expected = preLayerNorm ? bert.encoder.final_layer_norm!.forward(e)
            : layer.output.LayerNorm.forward(layer.attention.output.LayerNorm.forward(e));
        Assert.Equal(expected.ToArray<float>().Select(v => (double)v), output.ToArray<float>().Select(v => (double)v),
            new LatentRules.Tests.Torch.Tol(1e-6));
    }

    [Fact]
    public void PaddedBatchEncodesLikeSingleExamples()
    {
        manual_seed(0);
        using var vae = new LanguageVae(Small(Injection.Query));
        vae.eval();
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 5, 6, 7, 8, 9, 4, 0, 0 }, new long[] { 2, 4 });
        var mask = tensor(new long[] { 1, 1, 1, 1, 1, 1, 0, 0 }, new long[] { 2, 4 });
        var (mu, logvar) = vae.Encode(ids, mask);
        var (mu1, _) =
            vae.Encode(tensor(new long[] { 9, 4 }, new long[] { 1, 2 }), ones(new long[] { 1, 2 }, ScalarType.Int64));
        Assert.True(allclose(mu[1], mu1[0], atol: 1e-5), "padding changed the second example's posterior mean");
        Assert.Equal(new long[] { 2, 8 }, logvar.shape);
    }

    [Theory]
    [InlineData(Injection.Query)]
    [InlineData(Injection.KeyValue)]
    [InlineData(Injection.Memory)]
    [InlineData(Injection.Embedding)]
    [InlineData(Injection.Query | Injection.Embedding)]
    public void EachInjectionConditionsTheDecoderOnZ(Injection mode)
    {
        manual_seed(1);
        using var vae = new LanguageVae(Small(mode));
        vae.eval();
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 1, 2, 3, 4 }, new long[] { 1, 4 });
        var mask = ones(new long[] { 1, 4 }, ScalarType.Int64);
        var z1 = randn(1, 8);
        var z2 = randn(1, 8);
        Assert.False(allclose(vae.DecodeLogits(z1, ids, mask), vae.DecodeLogits(z2, ids, mask), atol: 1e-4),
            $"{mode}: z does not reach the decoder");
        vae.injection.ZeroProjections();
        var zeroed = vae.DecodeLogits(z1, ids, mask);
        Assert.True(allclose(zeroed, vae.DecodeLogits(z2, ids, mask), atol: 1e-6),
            $"{mode}: z still matters with zero projections");
        if (mode != Injection.Memory)                   // a zero memory slot still takes a share of attention
            Assert.True(allclose(zeroed, vae.decoder.forward(ids, attentionMask: mask), atol: 1e-5),
                $"{mode}: zero projections should give the plain decoder");
    }

    [Fact]
    public void ModelsOfOneSeedDifferOnlyInTheirInjection()
    {
        // The injection experiment compares modes: with the same seed, every part outside the injection (encoder,
        // latent maps, decoder, classifier, label embedding) must start from the same weights in every mode.
        var modes = new[] { Injection.Memory, Injection.KeyValue, Injection.Query, Injection.Embedding };
        var models = modes.Select(mode =>
        {
            manual_seed(7);
            return new LanguageVae(Small(mode, rules: 3) with { RuleToDecoder = true });
        }).ToList();
        try
        {
            var shared = models[0].named_parameters()
                .Where(p => !p.name.StartsWith("injection.", StringComparison.Ordinal)).ToList();
            Assert.Contains(shared, p => p.name.StartsWith("decoder.", StringComparison.Ordinal));
            Assert.Contains(shared, p => p.name.StartsWith("rule_classifier.", StringComparison.Ordinal));
            foreach (var other in models.Skip(1))
            {
                var theirs = other.named_parameters().ToDictionary(p => p.name, p => p.parameter);
                foreach (var (name, parameter) in shared)
                    Assert.True(parameter.allclose(theirs[name], rtol: 0, atol: 0),
                        $"{other.Config.Injection}: {name} starts elsewhere");
                Assert.Contains(other.named_parameters(),
                    p => p.name.StartsWith("injection.", StringComparison.Ordinal));
            }
        }
        finally
        {
            foreach (var m in models) m.Dispose();
        }
    }

    [Fact]
    public void LossGradientsReachEncoderAndInjectionAndFreeBitsFloorTheKl()
    {
        manual_seed(2);
        using var vae = new LanguageVae(Small(Injection.Query, rules: 3) with { FreeBits = 5.0 });
        using var scope = NewDisposeScope();
        var ids = randint(1, 30, new long[] { 4, 5 });
        var mask = ones(new long[] { 4, 5 }, ScalarType.Int64);
        var loss = vae.Loss(ids, mask, ids, mask, ids, beta: 1.0, rules: tensor(new long[] { 0, 1, 2, 1 }));
        Assert.Equal(8 * 5.0, loss.Kl.ToDouble(), 6);   // every dimension's KL is below 5 nats at initialisation
        Assert.True(loss.Rule is not null && double.IsFinite(loss.Total.ToDouble()));
        loss.Total.backward();
        Assert.True(vae.encoder.embeddings.word_embeddings.weight!.grad!.abs().sum().ToSingle() > 0,
            "no gradient reached the encoder");
        Assert.True(vae.injection.query![0].weight.grad!.abs().sum().ToSingle() > 0,
            "no gradient reached the query injection");
        Assert.True(vae.rule_classifier!.weight.grad!.abs().sum().ToSingle() > 0);
    }

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData(Injection.Memory)]
    [InlineData(Injection.Embedding)]
    public void TinyVaeLearnsToReconstructThroughTheLatent(Injection mode)
    {
        // Sequences of 3 tokens drawn from 4 symbols (6 bits); the decoder sees only <bos> + the sequence shifted
        // right, so every token it gets right beyond chance (25%) was carried by z. From the N(0, 0.02) start the
        // tied embeddings must grow before logits can be confident: Embedding mode needs ~1000 steps for 90 %.
        manual_seed(3);
        using var vae = new LanguageVae(Small(mode));
        using var opt = optim.AdamW(vae.parameters(), lr: 3e-3, weight_decay: 0);
        const int steps = 1000;
        double first = double.NaN, last = double.NaN, accuracy = 0;
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var seq = randint(2, 6, new long[] { 32, 3 });
            var mask = ones(new long[] { 32, 3 }, ScalarType.Int64);
            // <bos>=1, then shift
            var decIn = cat(new[] { ones(new long[] { 32, 1 }, ScalarType.Int64), seq.narrow(1, 0, 2) }, 1);
            opt.zero_grad();
            var loss = vae.Loss(seq, mask, decIn, mask, seq, beta: Math.Min(1.0, step / 150.0) * 0.1);
            loss.Total.backward();
            nn.utils.clip_grad_norm_(vae.parameters(), 1.0);
            opt.step();
            if (step == 0) first = loss.Reconstruction.ToDouble();
            last = loss.Reconstruction.ToDouble();
            if (step == steps - 1)
            {
                using var noGrad = no_grad();
                vae.eval();
                var (mu, _) = vae.Encode(seq, mask);
                accuracy = vae.DecodeLogits(mu, decIn, mask).argmax(-1).eq(seq).to(ScalarType.Float32).mean()
                    .ToSingle();
            }
        }
        output.WriteLine($"{mode}: reconstruction loss per sequence {first:F2} -> {last:F2}; token accuracy decoding " +
            $"the posterior mean {accuracy:P0} (chance 25 %)");
        Assert.True(last < first / 4, $"loss {first} -> {last}");
        Assert.True(accuracy > 0.9, $"token accuracy {accuracy}");
    }

    [Fact]
    public void QueryInjectionCannotReachTheFirstPosition()
    {
        // The first position attends to one key only, so its attention output is that key's value whatever the
        // query: with Query injection alone, z cannot change the first prediction (later positions it can).
        manual_seed(4);
        using var vae = new LanguageVae(Small(Injection.Query));
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 1, 2, 3 }, new long[] { 1, 3 });
        var mask = ones(new long[] { 1, 3 }, ScalarType.Int64);
        var a = vae.DecodeLogits(randn(1, 8), ids, mask);
        var b = vae.DecodeLogits(randn(1, 8), ids, mask);
        Assert.True(allclose(a.select(1, 0), b.select(1, 0), atol: 1e-6));
        Assert.False(allclose(a.select(1, 2), b.select(1, 2), atol: 1e-4));
    }

    [Fact]
    public void BatchesShiftForTeacherForcingAndIgnorePadding()
    {
        using var batch = new VaeBatch(new[] { new[] { 1, 7, 8, 2 }, new[] { 1, 9, 2 } }, padId: 0,
            rules: new[] { 1, 0 }, device: CPU);
        Assert.Equal(new long[] { 1, 7, 8, 2, 1, 9, 2, 0 }, batch.EncoderIds.view(-1).ToArray<long>());
        Assert.Equal(new long[] { 1, 1, 1, 1, 1, 1, 1, 0 }, batch.EncoderMask.view(-1).ToArray<long>());
        Assert.Equal(new long[] { 1, 7, 8, 1, 9, 0 }, batch.DecoderIds.view(-1).ToArray<long>());
        Assert.Equal(new long[] { 7, 8, 2, 9, 2, -100 }, batch.Targets.view(-1).ToArray<long>());
        Assert.Equal(new long[] { 1, 0 }, batch.Rules!.ToArray<long>());
        Assert.Throws<ArgumentException>(() => new VaeBatch(new[] { new[] { 1 } }, 0, null, CPU));
    }

    [Fact]
    public void BadConfigurationsAreRefused()
    {
        Assert.Contains("Injection",
            Assert.Throws<ArgumentException>(() => new VaeConfig { Injection = Injection.None }.Validate()).Message);
        Assert.Contains("Pooling",
            Assert.Throws<ArgumentException>(() => new VaeConfig { Pooling = "max" }.Validate()).Message);
        Assert.Contains("RuleCount",
            Assert.Throws<ArgumentException>(() => new VaeConfig { RuleToDecoder = true }.Validate()).Message);
        Assert.Contains("divisible",
            Assert.Throws<ArgumentException>(() => new BertConfig { HiddenSize = 30, NumAttentionHeads = 4 }.Validate())
                .Message);
    }
}

using System.Text.Json;
using LatentRules.Models.Qwen2;
using LatentRules.Tests.Support;
using LatentRules.Tests.Torch;
using LatentRules.Torch;
using LatentRules.Torch.NN;
using LatentRules.Torch.Serialization;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatentRules.Tests.Qwen2;

[Collection("torch")]
public sealed class Qwen2Tests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lr-qwen2-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Qwen2ForCausalLM Tiny(long seed = 0, bool tied = true)
    {
        manual_seed(seed);
        var lm = new Qwen2ForCausalLM(Qwen2Config.Tiny(vocab: 97) with { TieWordEmbeddings = tied });
        // Random-init biases and norms away from their defaults so every weight matters to the comparison.
        using (no_grad())
            foreach (var (name, p) in lm.named_parameters())
                if (name.EndsWith("norm.weight") || name.EndsWith(".bias"))
                    p.normal_(name.EndsWith("bias") ? 0 : 1, 0.2);
        return lm;
    }

    private static (long[] ids, long[] mask) LeftPadded(long[][] rows, int width)
    {
        var ids = new long[rows.Length * width];
        var mask = new long[rows.Length * width];
        for (int r = 0; r < rows.Length; r++)
            for (int k = 0; k < rows[r].Length; k++)
            {
                ids[r * width + width - rows[r].Length + k] = rows[r][k];
                mask[r * width + width - rows[r].Length + k] = 1;
            }
        return (ids, mask);
    }

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ForwardMatchesAnIndependentPythonImplementation(bool tied)
    {
        using var lm = Tiny(1, tied);
        lm.SavePretrained(_dir);
        long[][] rows = { new long[] { 5, 17, 3, 88, 42, 7 }, new long[] { 9, 60, 2 } };
        var (ids, mask) = LeftPadded(rows, 6);
        string request = JsonSerializer.Serialize(new
        {
            ids = rows.Select((_, r) => ids[(r * 6)..(r * 6 + 6)]),
            mask = rows.Select((_, r) => mask[(r * 6)..(r * 6 + 6)])
        });
        string script =
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Qwen2", "reference", "qwen2_reference.py"));
        var expected = JsonSerializer.Deserialize<double[][][]>(PythonReference.Run(
            $"import sys, io\nsys.argv = ['ref', {JsonSerializer.Serialize(_dir)}]\n" +
            $"sys.stdin = io.StringIO({JsonSerializer.Serialize(request)})\n" + script))!;
        using var scope = NewDisposeScope();
        lm.to(ScalarType.Float64);                         // the reference computes in float64 from the float32 weights
        var logits = lm.forward(tensor(ids, new long[] { 2, 6 }), attentionMask: tensor(mask, new long[] { 2, 6 }));
        double worst = 0;
        for (int r = 0; r < 2; r++)
            for (int t = 6 - rows[r].Length; t < 6; t++)                                  // real tokens only
            {
                var got = logits[r, t].ToArray<double>();
                for (int v = 0; v < got.Length; v++) worst = Math.Max(worst, Math.Abs(got[v] - expected[r][t][v]));
            }
        Assert.True(worst < 1e-10, $"largest logit difference {worst:E2}");
    }

    [Fact]
    public void SavedCheckpointLoadsBackWithIdenticalLogits()
    {
        using var lm = Tiny(2);
        lm.SavePretrained(_dir);
        using var back = Qwen2ForCausalLM.FromPretrained(_dir);
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 1, 2, 3, 4 }, new long[] { 1, 4 });
        Assert.Equal(lm.forward(ids).ToArray<float>(), back.forward(ids).ToArray<float>());
        Assert.DoesNotContain("lm_head.weight", SafetensorsFile.Open(Path.Combine(_dir, "model.safetensors")).Names);
    }

    [Fact]
    public void ShardedCheckpointLoadsThroughTheIndex()
    {
        using var lm = Tiny(3);
        using var scope = NewDisposeScope();
        var state = lm.state_dict();
        var first = state.Where(kv => kv.Key.Contains("layers.0")).ToDictionary(kv => kv.Key, kv => kv.Value);
        var rest = state.Where(kv => !first.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        Safetensors.Save(Path.Combine(_dir, "model-00001-of-00002.safetensors"), first);
        Safetensors.Save(Path.Combine(_dir, "model-00002-of-00002.safetensors"), rest);
        File.WriteAllText(Path.Combine(_dir, "config.json"), lm.Config.ToJson());
        var map = first.Keys.ToDictionary(k => k, _ => "model-00001-of-00002.safetensors");
        foreach (var k in rest.Keys) map[k] = "model-00002-of-00002.safetensors";
        File.WriteAllText(Path.Combine(_dir, "model.safetensors.index.json"),
            JsonSerializer.Serialize(new { metadata = new { }, weight_map = map }));
        using var back = Qwen2ForCausalLM.FromPretrained(_dir);
        var ids = tensor(new long[] { 7, 8, 9 }, new long[] { 1, 3 });
        Assert.Equal(lm.forward(ids).ToArray<float>(), back.forward(ids).ToArray<float>());
    }

    [Fact]
    public void LoaderNamesEveryMismatchAndRejectsUnsupportedConfigs()
    {
        using var lm = Tiny(4);
        lm.SavePretrained(_dir);
        var config = File.ReadAllText(Path.Combine(_dir, "config.json"));
        File.WriteAllText(Path.Combine(_dir, "config.json"),
            config.Replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3")
                .Replace("\"intermediate_size\": 128", "\"intermediate_size\": 96"));
        var e = Assert.Throws<InvalidDataException>(() => Qwen2ForCausalLM.FromPretrained(_dir));
        Assert.Contains("missing (", e.Message);
        Assert.Contains("model.layers.2.self_attn.q_proj.weight", e.Message);
        Assert.Contains("model.layers.0.mlp.gate_proj.weight: file [128, 64] vs model [96, 64]", e.Message);

        File.WriteAllText(Path.Combine(_dir, "config.json"),
            config.Replace("\"model_type\": \"qwen2\"",
                "\"model_type\": \"qwen2\", \"rope_scaling\": {\"type\": \"yarn\", \"factor\": 4}"));
        Assert.Contains("'rope_scaling'",
            Assert.Throws<InvalidDataException>(() => Qwen2ForCausalLM.FromPretrained(_dir)).Message);
        File.WriteAllText(Path.Combine(_dir, "config.json"),
            config.Replace("\"model_type\": \"qwen2\"", "\"model_type\": \"qwen2\", \"use_sliding_window\": true"));
        Assert.Contains("'use_sliding_window'",
            Assert.Throws<InvalidDataException>(() => Qwen2ForCausalLM.FromPretrained(_dir)).Message);
        File.WriteAllText(Path.Combine(_dir, "config.json"),
            config.Replace("\"model_type\": \"qwen2\"",
                "\"model_type\": \"qwen2\", \"use_sliding_window\": false, \"rope_scaling\": null"));
        using var ok = Qwen2ForCausalLM.FromPretrained(_dir);
        File.WriteAllText(Path.Combine(_dir, "config.json"), "{ not json");
        Assert.Contains("invalid JSON",
            Assert.Throws<InvalidDataException>(() => Qwen2ForCausalLM.FromPretrained(_dir)).Message);
    }

    [Fact]
    public void CachedDecodingEqualsFullRecomputation()
    {
        using var lm = Tiny(5);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(new long[] { 4, 8, 15, 16, 23, 42 }, new long[] { 1, 6 });
        var full = lm.forward(ids);                                                       // [1, 6, V]
        using var cache = lm.NewCache();
        var prefix =
            lm.forward(ids.narrow(1, 0, 3), cache: cache, attentionMask: ones(new long[] { 1, 3 }, ScalarType.Int64));
        Assert.True(allclose(prefix, full.narrow(1, 0, 3), atol: 1e-5));
        for (int t = 3; t < 6; t++)
        {
            var step = lm.forward(ids.narrow(1, t, 1), cache: cache,
                attentionMask: ones(new long[] { 1, t + 1 }, ScalarType.Int64));
            Assert.True(allclose(step, full.narrow(1, t, 1), atol: 1e-5), $"position {t}");
        }
    }

    [Fact]
    public void LeftPaddedBatchEqualsUnpaddedRows()
    {
        using var lm = Tiny(6);
        using var scope = NewDisposeScope();
        long[][] rows = { new long[] { 3, 1, 4, 1, 5 }, new long[] { 9, 2 } };
        var (ids, mask) = LeftPadded(rows, 5);
        var batch = lm.forward(tensor(ids, new long[] { 2, 5 }), attentionMask: tensor(mask, new long[] { 2, 5 }));
        for (int r = 0; r < 2; r++)
        {
            var single = lm.forward(tensor(rows[r], new long[] { 1, rows[r].Length }));
            var padded = batch[r].narrow(0, 5 - rows[r].Length, rows[r].Length).unsqueeze(0);
            Assert.True(allclose(single, padded, atol: 1e-5), $"row {r}");
        }
    }

    [Fact]
    public void RopeMatchesTheRotationFormula()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var x = randn(new long[] { 1, 1, 3, 4 }, ScalarType.Float64);                    // D = 4: pairs (0,2), (1,3)
        var (cos, sin) = RotaryEmbedding.Tables(tensor(new long[] { 0, 1, 5 }, new long[] { 1, 3 }), 4, 100.0);
        var y = RotaryEmbedding.Apply(x, cos.to(ScalarType.Float64), sin.to(ScalarType.Float64)).ToArray<double>();
        var xv = x.ToArray<double>();
        long[] positions = { 0, 1, 5 };
        for (int t = 0; t < 3; t++)
            for (int i = 0; i < 2; i++)
            {
                double angle = positions[t] * Math.Pow(100.0, -2.0 * i / 4);
                double a = xv[t * 4 + i], b = xv[t * 4 + i + 2];
                Assert.Equal(a * Math.Cos(angle) - b * Math.Sin(angle), y[t * 4 + i], 6);
                Assert.Equal(b * Math.Cos(angle) + a * Math.Sin(angle), y[t * 4 + i + 2], 6);
            }
    }

    [Fact]
    public void RmsNormMatchesItsFormulaAndComputesHalfPrecisionInFloat32()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 1, 2, 3, 4 }, new long[] { 1, 4 });
        var w = tensor(new double[] { 1, 0.5, 2, 1 });
        double rms = Math.Sqrt((1 + 4 + 9 + 16) / 4.0 + 1e-6);
        Assert.Equal(new[] { 1 / rms, 1 / rms, 6 / rms, 4 / rms }, RMSNorm.rms_norm(x, w, 1e-6).ToArray<double>(),
            new Tol(1e-12));
        var bf = RMSNorm.rms_norm(x.to(ScalarType.BFloat16), w.to(ScalarType.BFloat16), 1e-6);
        Assert.Equal(ScalarType.BFloat16, bf.dtype);
        Assert.Equal(new[] { 1 / rms, 1 / rms, 6 / rms, 4 / rms }, bf.to(ScalarType.Float64).ToArray<double>(),
            new Tol(2e-2));
    }

    [Fact]
    public void GroupedQueryAttentionSharesEachKeyValueHeadAcrossItsGroup()
    {
        // With kv_heads = heads / 2, copying each K/V head's weights into an equivalent full multi-head model
        // (kv_heads = heads) must give the same logits.
        using var gqa = Tiny(8);
        var c = gqa.Config with { NumKeyValueHeads = gqa.Config.NumAttentionHeads };
        using var mha = new Qwen2ForCausalLM(c);
        using var scope = NewDisposeScope();
        var state = gqa.state_dict();
        int group = gqa.Config.NumAttentionHeads / gqa.Config.NumKeyValueHeads, d = gqa.Config.HeadDim;
        foreach (var key in state.Keys.ToList())
            if (key.Contains("k_proj") || key.Contains("v_proj"))
            {
                var t = state[key];                                                       // [KV*D, hidden] or [KV*D]
                var perHead = t.view(new[] { gqa.Config.NumKeyValueHeads, (long)d }.Concat(t.shape.Skip(1)).ToArray());
                state[key] = perHead.repeat_interleave(group, 0)
                    .reshape(new[] { (long)c.NumKeyValueHeads * d }.Concat(t.shape.Skip(1)).ToArray());
            }
        mha.load_state_dict(state);
        var ids = tensor(new long[] { 10, 20, 30, 40 }, new long[] { 1, 4 });
        Assert.True(allclose(gqa.forward(ids), mha.forward(ids), atol: 1e-5));
    }

    [Fact]
    public void LatentContributionsChangeTheOutputOnlyWhenNonZero()
    {
        using var lm = Tiny(9);
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 1, 2, 3 }, new long[] { 1, 3 });
        var plain = lm.forward(ids);
        int qWidth = lm.Config.NumAttentionHeads * lm.Config.HeadDim,
            kvWidth = lm.Config.NumKeyValueHeads * lm.Config.HeadDim;
        AttentionLatent?[] Same(AttentionLatent l) =>
            Enumerable.Repeat<AttentionLatent?>(l, lm.Config.NumHiddenLayers).ToArray();
        var zeroQ = zeros(1, 1, qWidth);
        var zeroKV = zeros(1, 1, kvWidth);
        Assert.True(
            allclose(plain, lm.forward(ids, latents: Same(new AttentionLatent(QueryShift: zeroQ))), atol: 1e-6));
        Assert.True(allclose(plain,
            lm.forward(ids, latents: Same(new AttentionLatent(KeyShift: zeroKV, ValueShift: zeroKV))), atol: 1e-6));
        // A memory slot whose key and value are zero still changes attention (it takes a share of the weights).
        Assert.False(allclose(plain,
            lm.forward(ids, latents: Same(new AttentionLatent(MemoryKey: zeroKV, MemoryValue: zeroKV))), atol: 1e-4));
        manual_seed(1);
        Assert.False(allclose(plain,
            lm.forward(ids, latents: Same(new AttentionLatent(QueryShift: randn(1, 1, qWidth)))), atol: 1e-4));
        Assert.False(allclose(plain,
            lm.forward(ids, latents: Same(new AttentionLatent(KeyShift: randn(1, 1, kvWidth)))), atol: 1e-4));
        Assert.False(allclose(plain,
            lm.forward(ids, latents: Same(new AttentionLatent(ValueShift: randn(1, 1, kvWidth)))), atol: 1e-4));
    }

    [Fact]
    public void GreedyGenerationEqualsArgmaxWithoutCacheAndStopsAtStopTokens()
    {
        // The first seed whose tiny random model does not just repeat one token (deterministic search).
        long[] prompt = { 5, 6, 7 };
        Qwen2ForCausalLM lm = Tiny(10, tied: false);   // a tied random model just echoes its last input token
        var generated =
            Generation.Generate(lm, new[] { prompt, new long[] { 11 } }, new GenerationConfig(MaxNewTokens: 5));
        for (int seed = 11; generated[0].Distinct().Count() < 3 && seed < 60; seed++)
        {
            lm.Dispose();
            lm = Tiny(seed, tied: false);
            generated =
                Generation.Generate(lm, new[] { prompt, new long[] { 11 } }, new GenerationConfig(MaxNewTokens: 5));
        }
        using var owned = lm;
        using var scope = NewDisposeScope();
        var sequence = prompt.ToList();
        for (int k = 0; k < 5; k++)
        {
            var logits = lm.forward(tensor(sequence.ToArray(), new long[] { 1, sequence.Count }));
            sequence.Add(logits[0, -1].argmax().ToInt64());
        }
        Assert.Equal(sequence.Skip(3).ToArray(), generated[0]);
        // Stop at the last token that is new in the greedy output: generation ends just before its first occurrence.
        int cut = Enumerable.Range(0, 5).Last(k => !generated[0].Take(k).Contains(generated[0][k]));
        var stopped = Generation.Generate(lm, new[] { prompt },
            new GenerationConfig(MaxNewTokens: 5, StopTokens: new[] { generated[0][cut] }));
        Assert.Equal(generated[0].Take(cut).ToArray(), stopped[0]);
        Assert.True(cut > 0, $"greedy output {string.Join(",", generated[0])} repeats one token; pick another seed");
        // Top-k 1 sampling is greedy whatever the temperature; sampling is repeatable from its seed.
        var topOne = Generation.Generate(lm, new[] { prompt }, new GenerationConfig(GenerationStrategy.Sample,
            MaxNewTokens: 5, Temperature: 2.0, TopK: 1));
        Assert.Equal(generated[0], topOne[0]);
        var a = Generation.Generate(lm, new[] { prompt }, new GenerationConfig(GenerationStrategy.Sample,
            MaxNewTokens: 8, Temperature: 1.0, TopP: 0.9, Seed: 3));
        var b = Generation.Generate(lm, new[] { prompt }, new GenerationConfig(GenerationStrategy.Sample,
            MaxNewTokens: 8, Temperature: 1.0, TopP: 0.9, Seed: 3));
        Assert.Equal(a[0], b[0]);
    }

    [Fact]
    public void AnAttentionLatentNamesTheContributionsItHas()
    {
        using var key = zeros(1, 1, 4);
        using var value = ones(1, 1, 4);
        var present = new AttentionLatent(KeyShift: key, ValueShift: value).Present().ToList();
        Assert.Equal(new[] { "key shift", "value shift" }, present.Select(p => p.name));
        Assert.Same(value, present[1].value);
        Assert.Empty(new AttentionLatent().Present());
    }
}

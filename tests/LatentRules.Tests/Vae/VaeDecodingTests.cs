using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Tokenizers;
using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Tests.Vae;

/// <summary>Decoding from z (greedy, sampling, beam) and the text API, against direct uncached computations.</summary>
[Collection("torch")]
public sealed class VaeDecodingTests
{
    private const int Eos = 2;

    private static LanguageVae Model(Injection injection, int vocab = 12, bool ruleToDecoder = false, int seed = 3)
    {
        manual_seed(seed);
        var vae = new LanguageVae(new VaeConfig
        {
            Encoder = new BertConfig
            {
                VocabSize = vocab, HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 4,
                IntermediateSize = 64, HiddenDropout = 0, AttentionDropout = 0
            },
            Decoder = Qwen2Config.Tiny(vocab: vocab) with
            {
                HiddenSize = 32,
                IntermediateSize = 64,
                NumAttentionHeads = 4,
                NumKeyValueHeads = 2
            },
            LatentSize = 6, Injection = injection, RuleCount = ruleToDecoder ? 3 : 0, RuleToDecoder = ruleToDecoder,
        });
        vae.eval();
        return vae;
    }

    /// <summary>Log-probabilities [V] of the next token after prefix, from one uncached forward pass.</summary>
    private static double[] NextLogProbs(LanguageVae vae, Tensor z, IReadOnlyList<int> prefix, Tensor? rule = null)
    {
        using var scope = NewDisposeScope();
        var ids = tensor(prefix.Select(x => (long)x).ToArray(), new long[] { 1, prefix.Count });
        // [1, T, V]
        var logits = vae.DecodeLogits(z, ids, ones(new long[] { 1, prefix.Count }, ScalarType.Int64), rule);
        return logits.select(1, -1).log_softmax(-1).to(ScalarType.Float64).ToArray<double>();
    }

    [Theory]
    [InlineData(Injection.Query, false)]
    [InlineData(Injection.KeyValue, false)]
    [InlineData(Injection.Memory, false)]
    [InlineData(Injection.Embedding, false)]
    [InlineData(Injection.Query, true)]
    public void GreedyWithTheCacheEqualsArgmaxOfFullForwardPasses(Injection injection, bool ruleToDecoder)
    {
        using var vae = Model(injection, ruleToDecoder: ruleToDecoder);
        using var scope = NewDisposeScope();
        var z = randn(3, 6) * 3.0;                                                        // [3, latent]
        var rules = ruleToDecoder ? tensor(new long[] { 0, 2, 1 }) : null;
        // different lengths: left padding
        var prompts = new[] { new[] { 1 }, new[] { 1, 5, 7 }, new[] { 1, 9 } };
        var decoded = VaeDecoding.Decode(vae, z, prompts, Eos, new GenerationConfig(MaxNewTokens: 7), rules);
        for (int r = 0; r < 3; r++)
        {
            var prefix = prompts[r].ToList();
            var expected = new List<int>();
            for (int step = 0; step < 7; step++)
            {
                var lp = NextLogProbs(vae, z.narrow(0, r, 1), prefix, rules?.narrow(0, r, 1));
                int next = Array.IndexOf(lp, lp.Max());
                if (next == Eos) break;
                expected.Add(next);
                prefix.Add(next);
            }
            Assert.Equal(expected, decoded[r]);
        }
    }

    [Fact]
    public void WideBeamFindsTheMostLikelySequenceByExhaustiveSearch()
    {
        const int vocab = 6, steps = 3;
        using var vae = Model(Injection.Memory, vocab: vocab, seed: 5);
        using var scope = NewDisposeScope();
        var z = randn(1, 6) * 2.0;
        int[] prompt = { 1 };
        // Every candidate: non-EOS tokens then EOS within the step budget, or `steps` non-EOS tokens.
        var best = (ids: new List<int>(), logp: double.NegativeInfinity);
        void Search(List<int> seq, double logp)
        {
            var lp = NextLogProbs(vae, z, prompt.Concat(seq).ToList());
            if (seq.Count < steps && logp + lp[Eos] > best.logp) best = (new List<int>(seq), logp + lp[Eos]);
            if (seq.Count == steps) { if (logp > best.logp) best = (new List<int>(seq), logp); return; }
            if (seq.Count + 1 == steps)   // the last step may also emit a non-EOS token and stop there
            {
                for (int t = 0; t < vocab; t++)
                    if (t != Eos && logp + lp[t] > best.logp) best = (seq.Append(t).ToList(), logp + lp[t]);
                return;
            }
            for (int t = 0; t < vocab; t++) if (t != Eos) Search(seq.Append(t).ToList(), logp + lp[t]);
        }
        Search(new List<int>(), 0);
        var beam = VaeDecoding.Decode(vae, z, new[] { prompt }, Eos,
            new GenerationConfig(GenerationStrategy.Beam, MaxNewTokens: steps, BeamWidth: 200, LengthPenalty: 0))[0];
        Assert.Equal(best.ids, beam);

        // Width 1 without length normalisation is greedy.
        var greedy = VaeDecoding.Decode(vae, z, new[] { prompt }, Eos, new GenerationConfig(MaxNewTokens: 5))[0];
        var narrow = VaeDecoding.Decode(vae, z, new[] { prompt }, Eos,
            new GenerationConfig(GenerationStrategy.Beam, MaxNewTokens: 5, BeamWidth: 1, LengthPenalty: 0))[0];
        Assert.Equal(greedy, narrow);
    }

    [Fact]
    public void SamplingIsSeededAndTheLiveTensorCountStaysFlat()
    {
        using var vae = Model(Injection.Query);
        using var z = randn(4, 6);
        var prompts = Enumerable.Repeat(new[] { 1 }, 4).ToList();
        // hot: the random tied-embedding model repeats its input token
        var sample = new GenerationConfig(GenerationStrategy.Sample, MaxNewTokens: 8, Temperature: 20, Seed: 11);
        var a = VaeDecoding.Decode(vae, z, prompts, Eos, sample);
        // finalised leftovers of earlier tests do not count
        static long Live()
        {
            GC.Collect(); GC.WaitForPendingFinalizers(); return LatentRules.Tests.Support.LiveTensors.OnThisThread;
        }
        long before = Live();
        for (int i = 0; i < 5; i++)
        {
            VaeDecoding.Decode(vae, z, prompts, Eos, sample);
            VaeDecoding.Decode(vae, z, prompts, Eos, sample with { Strategy = GenerationStrategy.Beam, BeamWidth = 3 });
        }
        Assert.Equal(before, Live());
        Assert.Equal(a, VaeDecoding.Decode(vae, z, prompts, Eos, sample));
        Assert.NotEqual(a, VaeDecoding.Decode(vae, z, prompts, Eos, sample with { Seed = 12 }));
    }

    [Fact]
    public void TextApiEncodesDecodesInterpolatesTraversesAndRefusesBadShapes()
    {
        var tokenizer =
            WordTokenizer.Build(new[] { "all cats are mammals", "some dogs are not cats", "no fish are mammals" });
        using var vae = Model(Injection.Query, vocab: tokenizer.VocabSize);
        var text = new VaeText(vae, tokenizer);
        var z = text.Encode("all cats are mammals");
        Assert.Equal(6, z.Length);
        Assert.Equal(z, text.Encode("all cats are mammals"));                              // the mean: deterministic
        string decoded = text.Decode(z, new GenerationConfig(MaxNewTokens: 6));
        Assert.All(decoded.Split(' ', StringSplitOptions.RemoveEmptyEntries), w => Assert.Contains(w, tokenizer.Words));

        var path = text.Interpolate("all cats are mammals", "no fish are mammals", steps: 4,
            new GenerationConfig(MaxNewTokens: 6));
        Assert.Equal(new[] { 0.0, 1.0 / 3, 2.0 / 3, 1.0 }, path.Select(p => p.t));
        Assert.Equal(decoded, path[0].text);
        Assert.Equal(text.Decode(text.Encode("no fish are mammals"), new GenerationConfig(MaxNewTokens: 6)),
            path[^1].text);

        var sweep = text.Traverse("all cats are mammals", 2, new[] { -3.0, z[2], 3.0 },
            new GenerationConfig(MaxNewTokens: 6));
        Assert.Equal(decoded, sweep[1].text);                                             // the text's own value
        Assert.Equal(3, sweep.Count);

        Assert.Contains("latent size is 6", Assert.Throws<ArgumentException>(() => text.Decode(new double[5])).Message);
        Assert.Contains("outside 0..5",
            Assert.Throws<ArgumentOutOfRangeException>(() => text.Traverse("all cats", 6, new[] { 1.0 })).Message);
        using var wrong = zeros(2, 6);
        Assert.Contains("z must be [1, latent]",
            Assert.Throws<ArgumentException>(() => VaeDecoding.Decode(vae, wrong, new[] { new[] { 1 } }, Eos)).Message);
    }
}

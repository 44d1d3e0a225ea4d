using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Torch.NN;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatentRules.Tests.Torch;

/// <summary>
/// Models trained from scratch start as Hugging Face starts them (N(0, 0.02) linear and embedding weights, zero
/// biases, unit norms), so an untrained decoder guesses near uniformly: its loss is about ln(vocabulary).
/// </summary>
[Collection("torch")]
public sealed class InitialWeightsTests
{
    private static double Std(Tensor t) => t.to(ScalarType.Float64).std().item<double>();

    [Fact]
    public void AQwen2DecoderStartsAsHuggingFaceStartsIt()
    {
        manual_seed(3);
        using var lm = new Qwen2ForCausalLM(Qwen2Config.Tiny(vocab: 512));
        var p = lm.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        // 32,768 and 4,096 draws: the standard error of the std is 0.02 / sqrt(2n), below 0.0003
        Assert.Equal(0.02, Std(p["model.embed_tokens.weight"]), 0.001);
        Assert.Equal(0.02, Std(p["model.layers.0.self_attn.q_proj.weight"]), 0.0015);
        Assert.Equal(0.02, Std(p["model.layers.1.mlp.down_proj.weight"]), 0.0015);
        Assert.Equal(0.0, p["model.layers.0.self_attn.q_proj.bias"].abs().max().item<float>());
        Assert.Equal(1.0, p["model.norm.weight"].min().item<float>());
    }

    [Fact]
    public void AnUntrainedDecodersLossIsAboutLnOfTheVocabulary()
    {
        manual_seed(4);
        using var lm = new Qwen2ForCausalLM(Qwen2Config.Tiny(vocab: 512));
        using var ids = randint(0, 512, new long[] { 8, 32 });
        using var logits = lm.forward(ids);                                                   // [8, 32, 512]
        double loss = F.cross_entropy(logits[.., ..^1].reshape(-1, 512), ids[.., 1..].reshape(-1)).item<float>();
        // logits of std about sqrt(64) x 0.02 = 0.16 add about 0.16^2 / 2 = 0.013 nats to ln 512 = 6.238; TorchSharp's
        // N(0, 1) embeddings, tied to the head, gave logits of std 8 and a loss above 20.
        Assert.InRange(loss, Math.Log(512), Math.Log(512) + 0.05);
    }

    [Fact]
    public void ABertEncoderStartsAsHuggingFaceStartsIt()
    {
        manual_seed(5);
        using var bert = new BertEncoder(new BertConfig { VocabSize = 300 });
        var p = bert.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        Assert.Equal(0.02, Std(p["embeddings.word_embeddings.weight"][1..]), 0.0015);
        Assert.Equal(0.0, p["embeddings.word_embeddings.weight"][0].abs().max().item<float>());     // padding row
        Assert.Equal(0.02, Std(p["encoder.layer.0.attention.self.query.weight"]), 0.0015);
        Assert.Equal(0.0, p["encoder.layer.0.attention.self.query.bias"].abs().max().item<float>());
        Assert.Equal(1.0, p["embeddings.LayerNorm.weight"].min().item<float>());
    }

    [Fact]
    public void ANonPositiveRangeIsRefused()
    {
        using var linear = new LoraLinear(2, 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => InitialWeights.Normal(linear, 0));
        Assert.Contains("initializer_range must be positive", e.Message);
    }
}

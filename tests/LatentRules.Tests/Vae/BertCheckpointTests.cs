using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Tokenizers;
using LatentRules.Torch;
using LatentRules.Torch.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Tests.Vae;

/// <summary>BERT encoders from Hugging Face folders: a tiny random checkpoint written by the library loads back
/// exactly.</summary>
[Collection("torch")]
public sealed class BertCheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"lr-bert-{Guid.NewGuid():N}");
    public void Dispose() { if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true); }

    private static BertConfig Tiny =>
        new()
        {
            VocabSize = 12, HiddenSize = 16, NumHiddenLayers = 2, NumAttentionHeads = 2, IntermediateSize = 32,
            MaxPositionEmbeddings = 20
        };
    private static readonly string[] Vocabulary =
        { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "all", "men", "are", "mortal", "##s", ".", "so" };

    private static Tensor Hidden(BertEncoder encoder, WordPieceTokenizer tokenizer)
    {
        encoder.eval();
        using var ids = tensor(tokenizer.Encode("all men are mortal.", addSpecialTokens: true).Select(i => (long)i)
            .ToArray(), new long[] { 1, 7 });
        using var mask = ones_like(ids);
        return encoder.forward(ids, mask);                                                    // [1, 7, 16]
    }

    [Fact]
    public void ASavedFolderLoadsBackWithIdenticalOutputsAndServesAsTheVaeEncoder()
    {
        manual_seed(3);
        using var original = new BertEncoder(Tiny);
        BertCheckpoint.Save(original, _dir, Vocabulary);
        using (var file = SafetensorsFile.Open(Path.Combine(_dir, "model.safetensors")))
            Assert.Contains("bert.encoder.layer.1.attention.self.query.weight", file.Names);
        var tokenizer = WordPieceTokenizer.Load(Path.Combine(_dir, "vocab.txt"));
        Assert.Equal(new[] { 2, 5, 6, 7, 8, 10, 3 }, tokenizer.Encode("all men are mortal.", addSpecialTokens: true));

        using var loaded = BertCheckpoint.Load(_dir);
        Assert.Equal(Tiny, loaded.Config);
        using var expected = Hidden(original, tokenizer);
        using var actual = Hidden(loaded, tokenizer);
        Assert.Equal(expected.ToArray<float>(), actual.ToArray<float>());

        using var vae =
            new LanguageVae(new VaeConfig { Decoder = Qwen2Config.Tiny(vocab: 12), LatentSize = 4 }, null, loaded);
        Assert.Same(loaded, vae.encoder);
        Assert.Equal(Tiny, vae.Config.Encoder);
    }

    [Fact]
    public void OldLayerNormNamesAndTheHeadsOfPretrainingCheckpointsAreHandled()
    {
        manual_seed(4);
        using var original = new BertEncoder(Tiny);
        BertCheckpoint.Save(original, _dir);
        // Rewrite the weights as the 2018 checkpoints name them, with the MLM head, the pooler and the position ids.
        var tensors = original.named_parameters().ToDictionary(
            p => "bert." + p.name.Replace("LayerNorm.weight", "LayerNorm.gamma")
                .Replace("LayerNorm.bias", "LayerNorm.beta"),
            p => (Tensor)p.parameter);
        using var head = zeros(12);
        using var pooler = zeros(16, 16);
        using var positions = arange(20).unsqueeze(0);
        tensors["cls.predictions.bias"] = head;
        tensors["bert.pooler.dense.weight"] = pooler;
        tensors["bert.embeddings.position_ids"] = positions;
        Safetensors.Save(Path.Combine(_dir, "model.safetensors"), tensors);
        using var loaded = BertCheckpoint.Load(_dir);
        var tokenizer = new WordPieceTokenizer(Vocabulary);
        using var expected = Hidden(original, tokenizer);
        using var actual = Hidden(loaded, tokenizer);
        Assert.Equal(expected.ToArray<float>(), actual.ToArray<float>());
    }

    [Fact]
    public void MismatchesAndUnsupportedConfigsAreNamed()
    {
        using var original = new BertEncoder(Tiny);
        BertCheckpoint.Save(original, _dir);
        string config = Path.Combine(_dir, "config.json");
        string text = File.ReadAllText(config);

        var tensors = original.named_parameters().Where(p => p.name != "encoder.layer.0.attention.self.query.weight")
            .ToDictionary(p => "bert." + p.name, p => (Tensor)p.parameter);
        using var extra = zeros(3);
        tensors["bert.encoder.layer.0.attention.self.extra"] = extra;
        Safetensors.Save(Path.Combine(_dir, "model.safetensors"), tensors);
        var message = Assert.Throws<InvalidDataException>(() => BertCheckpoint.Load(_dir)).Message;
        Assert.Contains("missing (1): encoder.layer.0.attention.self.query.weight", message);
        Assert.Contains("unexpected (1): bert.encoder.layer.0.attention.self.extra", message);

        BertCheckpoint.Save(original, _dir);
        File.WriteAllText(config, text.Replace("\"intermediate_size\": 32", "\"intermediate_size\": 48"));
        Assert.Contains("bert.encoder.layer.0.intermediate.dense.weight: file [32, 16] vs model [48, 16]",
            Assert.Throws<InvalidDataException>(() => BertCheckpoint.Load(_dir)).Message);
        File.WriteAllText(config, text.Replace("\"absolute\"", "\"relative_key\""));
        Assert.Contains("position_embedding_type 'relative_key' is not supported",
            Assert.Throws<InvalidDataException>(() => BertCheckpoint.Load(_dir)).Message);
        File.WriteAllText(config, text.Replace("\"hidden_size\"", "\"width\""));
        Assert.Contains("field 'hidden_size' is missing",
            Assert.Throws<InvalidDataException>(() => BertCheckpoint.Load(_dir)).Message);
        File.WriteAllText(config, "{ not json");
        Assert.Contains("config.json: not valid JSON",
            Assert.Throws<InvalidDataException>(() => BertCheckpoint.Load(_dir)).Message);
    }
}

using LatentRules.Models.Bert;
using LatentRules.Models.Hub;
using LatentRules.Models.Qwen2;
using LatentRules.Tokenizers;
using static TorchSharp.torch;

namespace LatentRules.Models.Vae;

/// <summary>
/// The Hugging Face folders a VAE starts from: a BERT encoder (config.json, vocab.txt, model.safetensors; the study's
/// is bert-base-cased) and a Qwen2 decoder (config.json, tokenizer.json, model.safetensors; the study's is
/// Qwen2.5-0.5B). A side with a folder reads (encoder) or writes (decoder) that folder's own tokens and starts from its
/// weights; a side without one is made at random from the <see cref="VaeConfig"/> and uses the experiment's word
/// vocabulary.
/// </summary>
public sealed record PretrainedWeights(
    string? Encoder = null,   // BERT folder, or null for a random encoder
    string? Decoder = null)   // Qwen2 folder, or null for a random decoder
{
    public const string BertRepo = "google-bert/bert-base-cased", QwenRepo = "Qwen/Qwen2.5-0.5B";

    /// <summary>The study's two models where <c>lab download</c> puts them under <paramref name="root"/>.</summary>
    public static PretrainedWeights Paper(string root = "data/downloads") =>
        new(HubDownloader.DefaultFolder(BertRepo, root), HubDownloader.DefaultFolder(QwenRepo, root));

    /// <summary>Only the folders whose files are all there (for notebooks that fall back to random weights).</summary>
    public PretrainedWeights Present() =>
        new(Missing(Encoder, BertFiles) is null ? Encoder : null, Missing(Decoder, QwenFiles) is null ? Decoder : null);

    /// <summary>
    /// Refuses a folder that lacks a file, naming the option, the file and how to get the model (nothing is read yet).
    /// </summary>
    public PretrainedWeights Check(string encoderOption = "--encoder-weights",
        string decoderOption = "--decoder-weights")
    {
        foreach (var (folder, files, option, repo) in new[] { (Encoder, BertFiles, encoderOption, BertRepo),
            (Decoder, QwenFiles, decoderOption, QwenRepo) })
            if (Missing(folder, files) is { } file)
                throw new ArgumentException($"{option}: {Path.GetFullPath(folder!)} has no {file}. Get the model " +
                    $"with " +
                    $"`dotnet run --project lib/LatentRules.Lab -- download --repo {repo} --out {folder}` (or by " +
                    $"hand: " +
                    $"{string.Join(", ", files)} from https://huggingface.co/{repo}), or pass {option} none to start " +
                    $"that side at random");
        return this;
    }

    /// <summary>The encoder's WordPiece tokenizer, or null without an encoder folder.</summary>
    public ITokenizer? EncoderTokenizer() => Encoder is null ? null : BertCheckpoint.Tokenizer(Encoder);

    /// <summary>
    /// The decoder's tokenizer (its tokenizer.json and tokenizer_config.json), or null without a decoder folder.
    /// </summary>
    public ITokenizer? DecoderTokenizer() =>
        Decoder is null ? null : ByteLevelBpeTokenizer.Load(Path.Combine(Decoder, "tokenizer.json"));

    /// <summary>
    /// A VAE with the config's new parts (latent maps, injection, classifier) at random from the current seed and the
    /// encoder and decoder loaded in float32 where there are folders. A tokenizer with more ids than the loaded model's
    /// vocabulary is refused, naming the folder.
    /// </summary>
    public LanguageVae NewVae(VaeConfig config)
    {
        Qwen2ForCausalLM? decoder = null;
        BertEncoder? encoder = null;
        try
        {
            if (Decoder is not null)
            {
                decoder = Qwen2ForCausalLM.FromPretrained(Decoder, ScalarType.Float32);
                CheckVocabulary(Decoder, config.Decoder.VocabSize, decoder.Config.VocabSize);
            }
            if (Encoder is not null)
            {
                encoder = BertCheckpoint.Load(Encoder);
                CheckVocabulary(Encoder, config.Encoder.VocabSize, encoder.Config.VocabSize);
            }
            return new LanguageVae(config, decoder, encoder);
        }
        catch
        {
            decoder?.Dispose();
            encoder?.Dispose();
            throw;
        }
    }

    /// <summary>One line saying what each side starts from.</summary>
    public string Describe() =>
        $"encoder: {(Encoder is null ? "random weights" : Path.GetFullPath(Encoder))}; decoder: " +
        $"{(Decoder is null ? "random weights" : Path.GetFullPath(Decoder))}";

    private static readonly string[] BertFiles = { "config.json", "vocab.txt", "model.safetensors" };
    private static readonly string[] QwenFiles = { "config.json", "tokenizer.json", "model.safetensors" };

    // The first file the folder lacks (weights may also be shards listed in model.safetensors.index.json).
    private static string? Missing(string? folder, string[] files) =>
        folder is null ? null : files.FirstOrDefault(f => !File.Exists(Path.Combine(folder, f))
            && !(f == "model.safetensors" && File.Exists(Path.Combine(folder, "model.safetensors.index.json"))));

    // The ids the experiment's tokenizer gives must be rows of the model's embedding table.
    private static void CheckVocabulary(string folder, int tokenizerSize, int modelSize)
    {
        if (tokenizerSize > modelSize)
            throw new InvalidDataException($"{folder}: the tokenizer has {tokenizerSize} ids but config.json's " +
                $"vocab_size is {modelSize}");
    }
}

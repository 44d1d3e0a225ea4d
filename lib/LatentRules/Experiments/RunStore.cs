using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LatentRules.Data;
using LatentRules.Models.Vae;
using LatentRules.Training;
using Microsoft.Data.Analysis;
using static TorchSharp.torch;

namespace LatentRules.Experiments;

/// <summary>
/// Trained VAEs kept on disk, so that running a notebook again loads its models instead of training them. A stored
/// run is a folder in the checkpoint format (<see cref="Checkpoint.SaveModel"/>, written atomically): its manifest's
/// DataIdentity hashes the data and every setting training read, its TokenizerIdentity the vocabularies, and its
/// LibraryVersion names the build (with its commit) that trained it: a run from another build of the library is
/// trained again rather than loaded, so an edited library never reuses a stale model.
/// <code>
/// var (vae, loaded) = RunStore.TrainOrLoad(experiment, config, trainer, folder: "runs/math-query");
/// </code>
/// </summary>
public static class RunStore
{
    /// <summary>
    /// The VAE trained with these settings on the experiment's data: loaded from <paramref name="folder"/> when the run
    /// stored there has the same identities and library version, otherwise trained with
    /// <see cref="VaeExperiment.Train"/> (seeded with the trainer's seed) and saved there, replacing a stored run of
    /// other settings. With a null folder it always trains.
    /// The bool says whether it was loaded. With <paramref name="weights"/> the encoder and decoder start from those
    /// folders (prepare the experiment with their tokenizers). A stored run with a missing or corrupt file, or a folder
    /// holding files but no stored run, is an error naming it.
    /// </summary>
    public static (LanguageVae vae, bool loaded) TrainOrLoad(VaeExperiment experiment, VaeConfig config,
        TrainerConfig trainer, int encoderStageSteps = 0, string? folder = null, PretrainedWeights? weights = null)
    {
        weights ??= new PretrainedWeights();
        string data = DataIdentity(experiment, config, trainer, encoderStageSteps, weights);
        string vocabulary = TokenizerIdentity(experiment);
        if (folder is not null && Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!File.Exists(Path.Combine(folder, "checkpoint.json")))
                throw new InvalidDataException(
                    $"{folder} holds files but no stored run (checkpoint.json is missing); " +
                    "give the run store a new or empty folder: saving replaces the folder's contents");
            var stored = Checkpoint.ReadManifest(folder);
            if (stored.DataIdentity == data && stored.TokenizerIdentity == vocabulary &&
                stored.LibraryVersion == ExperimentReport.LibraryVersionText)
                return (Checkpoint.LoadModel(folder), true);
        }
        manual_seed(trainer.Seed);
        var vae = weights.NewVae(config);
        var history = experiment.Train(vae, trainer, encoderStageSteps);
        if (folder is not null)
            Checkpoint.SaveModel(folder, vae, new CheckpointManifest(history.Rows.Count, data, vocabulary,
                DateTime.UtcNow, ExperimentReport.LibraryVersionText), history);
        return (vae, false);
    }

    /// <summary>
    /// The training history (stage 2, one row per step) of the run stored in <paramref name="folder"/>, saved with it
    /// by <see cref="TrainOrLoad"/>, so a loaded model shows its training curve too.
    /// </summary>
    public static DataFrame History(string folder) => Checkpoint.ReadHistory(folder)
        ?? throw new InvalidDataException($"{folder}: no history.csv (the run store saves one with every model)");

    /// <summary>A hash of what a trained model depends on besides the vocabulary: data, model and training
    /// settings.</summary>
    private static string DataIdentity(VaeExperiment experiment, VaeConfig config, TrainerConfig trainer,
        int encoderStageSteps, PretrainedWeights weights)
    {
        var text = new StringBuilder();
        foreach (var e in experiment.Data.Train.Concat(experiment.Data.Valid))
            text.Append(DatasetSummary.ContentKey(e)).Append('\n');
        var examples = experiment.Examples;
        text.Append(JsonSerializer.Serialize(config))
            .Append(JsonSerializer.Serialize(trainer with { CheckpointDir = null }))
            .Append(encoderStageSteps).Append(weights.Describe())
            .Append(examples.Mode).Append(examples.EncoderReadsConclusion).Append(examples.EncoderReadsRuleText);
        return Hash(text.ToString());
    }

    /// <summary>A hash of the decoder's and the encoder's vocabularies: every id's text.</summary>
    private static string TokenizerIdentity(VaeExperiment experiment)
    {
        var text = new StringBuilder();
        foreach (var tokenizer in new[] { experiment.Tokenizer, experiment.Examples.EncoderTokenizer }.Distinct())
            for (int id = 0; id < tokenizer.VocabSize; id++)
                text.Append(tokenizer.Decode(new[] { id })).Append('\u0001');
        return Hash(text.ToString());
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

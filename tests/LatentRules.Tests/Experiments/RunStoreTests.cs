using LatentRules.Data;
using LatentRules.Experiments;
using LatentRules.Models.Bert;
using LatentRules.Models.Qwen2;
using LatentRules.Models.Vae;
using LatentRules.Tables;
using LatentRules.Torch;
using LatentRules.Training;
using static TorchSharp.torch;

namespace LatentRules.Tests.Experiments;

/// <summary>The run store: trained models saved as checkpoints, loaded when the settings match.</summary>
[Collection("torch")]
public sealed class RunStoreTests
{
    private static VaeExperiment Math() =>
        VaeExperiment.Prepare(ReasoningTasks.Get("math"),
            ReasoningTasks.Get("math").Generate(new GenerationOptions(Size: 120, Seed: 4)),
            TargetMode.Autoencoding);

    private static VaeConfig Config(VaeExperiment experiment) => experiment.ModelConfig(new VaeConfig
    {
        Encoder = new BertConfig { HiddenSize = 16, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 24 },
        Decoder = Qwen2Config.Tiny() with
        { HiddenSize = 16, IntermediateSize = 24, NumAttentionHeads = 2, NumKeyValueHeads = 1 },
        LatentSize = 4, Injection = Injection.Query,
    });

    private static readonly TrainerConfig Trainer = new() { Steps = 4, BatchSize = 8, WarmupSteps = 1, Seed = 2 };

    [Fact]
    public void TheRunStoreLoadsWhatItTrainedAndRetrainsWhenSettingsChange()
    {
        string dir = Directory.CreateTempSubdirectory("lr-runstore-").FullName;
        try
        {
            var experiment = Math();
            var (config, trainer) = (Config(experiment), Trainer);
            var (first, loaded1) = RunStore.TrainOrLoad(experiment, config, trainer, folder: dir);
            var (second, loaded2) = RunStore.TrainOrLoad(experiment, config, trainer, folder: dir);
            Assert.False(loaded1);
            Assert.True(loaded2);
            Assert.True(File.Exists(Path.Combine(dir, "checkpoint.json")));                // the checkpoint format
            Assert.False(File.Exists(Path.Combine(dir, "optimizer.safetensors")));      // finished: no resume state
            var a = first.state_dict(); var b = second.state_dict();
            Assert.Equal(a.Keys, b.Keys);
            foreach (var k in a.Keys) Assert.Equal(a[k].to(float64).ToArray<double>(),
                b[k].to(float64).ToArray<double>());
            var (third, loaded3) = RunStore.TrainOrLoad(experiment, config, trainer with { Steps = 5 }, folder: dir);
            Assert.False(loaded3);                                                 // other settings: trained again
            first.Dispose(); second.Dispose(); third.Dispose();

            // The stored run keeps its training curve: the history a fresh training of the same settings gives.
            var history = RunStore.History(dir);
            manual_seed(trainer.Seed);
            using (var again = new LanguageVae(config))
            {
                var expected = experiment.Train(again, trainer with { Steps = 5 });
                Assert.Equal(5, history.Rows.Count);
                var (saved, fresh) = (history.Records().ToList(), expected.Records().ToList());
                for (int r = 0; r < 5; r++)
                {
                    Assert.Equal(Convert.ToDouble(fresh[r]["step"]), Convert.ToDouble(saved[r]["step"]));
                    double want = Convert.ToDouble(fresh[r]["loss"]);   // the CSV keeps 6 significant digits
                    double error = System.Math.Abs(want - Convert.ToDouble(saved[r]["loss"]));
                    Assert.True(error <= 1e-5 * System.Math.Abs(want),
                        $"row {r}: {saved[r]["loss"]} vs {want}");
                }
            }

            // A run stored by another build of the library is trained again, not loaded.
            var manifest = Checkpoint.ReadManifest(dir);
            Assert.Equal(ExperimentReport.LibraryVersionText, manifest.LibraryVersion);
            var (fourth, loaded4) = RunStore.TrainOrLoad(experiment, config, trainer with { Steps = 5 }, folder: dir);
            Assert.True(loaded4);
            fourth.Dispose();
            string path = Path.Combine(dir, "checkpoint.json");
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
            json["LibraryVersion"] = "0.9.0+an-older-build";
            File.WriteAllText(path, json.ToJsonString());
            var (fifth, loaded5) = RunStore.TrainOrLoad(experiment, config, trainer with { Steps = 5 }, folder: dir);
            Assert.False(loaded5);
            fifth.Dispose();
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void AStoredRunWithAMissingOrCorruptFileIsAnErrorNamingTheFile()
    {
        string dir = Directory.CreateTempSubdirectory("lr-runstore-").FullName;
        try
        {
            var experiment = Math();
            (LanguageVae, bool) Load() => RunStore.TrainOrLoad(experiment, Config(experiment), Trainer, folder: dir);
            Load().Item1.Dispose();
            string model = Path.Combine(dir, "model.safetensors");
            File.WriteAllBytes(model, new byte[] { 1, 2, 3 });
            var corrupt = Assert.Throws<InvalidDataException>(() => Load());
            Assert.Contains(model, corrupt.Message);
            File.Delete(model);
            var missing = Assert.Throws<FileNotFoundException>(() => Load());
            Assert.Contains(model, missing.Message);
            string manifest = Path.Combine(dir, "checkpoint.json");
            File.WriteAllText(manifest, "{ not json");
            var bad = Assert.Throws<InvalidDataException>(() => Load());
            Assert.Contains(manifest, bad.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void AFolderHoldingOtherFilesIsRefusedNotReplaced()
    {
        string dir = Directory.CreateTempSubdirectory("lr-runstore-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");
            var experiment = Math();
            var error = Assert.Throws<InvalidDataException>(
                () => RunStore.TrainOrLoad(experiment, Config(experiment), Trainer, folder: dir));
            Assert.Contains(dir, error.Message);
            Assert.Contains("checkpoint.json is missing", error.Message);
            Assert.Equal("mine", File.ReadAllText(Path.Combine(dir, "notes.txt")));
        }
        finally { Directory.Delete(dir, true); }
    }
}

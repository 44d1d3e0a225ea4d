using LatentRules.Data.UserData;
using LatentRules.Experiments;
using LatentRules.Lab.Commands;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Experiments;

/// <summary>
/// `--data FILE`: the experiments on a user's rule-labelled file, a bad file refused before anything trains, and the
/// falsifiability check: with the labels shuffled in the data itself, the verdict may not be "holds".
/// </summary>
[Collection("torch")]
public sealed class OwnDataTests
{
    private static readonly string Example =
        Path.Combine(RepoPaths.Root, "data", "examples", "rules-example.jsonl");

    private static string Temp(string extension) =>
        Path.Combine(Path.GetTempPath(), $"own-data-{Guid.NewGuid():N}{extension}");

    private static int Lab(params string[] args) =>
        CommandLine.Dispatch(args, new ILabCommand[] { new ExperimentCommand(new StringWriter()) });

    [Fact]
    public void RuleClustersRunsOnTheExampleFileAndTheReportNamesIt()
    {
        string json = Temp(".json");
        try
        {
            Assert.Equal(0, Lab("experiment", "rule-clusters", "--data", Example, "--seeds", "1,2",
                "--encoder-steps", "2", "--steps", "2", "--latent", "4", "--json", json));
            var report = ExperimentReport.Read(json);
            Assert.Equal("file:rules-example", report.Config.Task);
            Assert.Equal(Example, report.Config.DataFile);
            Assert.Equal(new[] { "disjunctive_syllogism", "hypothetical_syllogism", "modus_ponens", "modus_tollens" },
                report.Rules);
            Assert.Equal(6, report.Runs.Count);                          // 2 seeds x (supervised, shuffled, lambda 0)
            Assert.All(report.Runs, r => Assert.Equal(0.25, r.Values["chance"]));
            Assert.All(report.Runs, r => Assert.True(double.IsNaN(r.Values["ceiling_test"])));   // no such check
        }
        finally { File.Delete(json); }
    }

    [Theory]
    [InlineData(
        "{\"rule\": \"a\", \"premises\": [\"x\"], \"conclusion\": \"y\"}\n{\"rule\": \"b\", \"premises\": [\"x\"]}",
        ":2", "conclusion")]
    [InlineData("{\"rule\": \"a\", \"premises\": [\"x\"], \"conclusion\": \"y\"}\nnot json", ":2", "")]
    [InlineData("{\"rule\": \"a\", \"premises\": [\"x\"], \"conclusion\": \"y\"}", "", "two rules")]
    public void ABadFileIsRefusedNamingFileAndLineWithExitOneAndNothingWritten(string content, string line,
        string field)
    {
        string data = Temp(".jsonl"), json = Temp(".json");
        File.WriteAllText(data, content);
        try
        {
            var error = Assert.ThrowsAny<Exception>(() => new ExperimentCommand(new StringWriter()).Run(
                ParsedArgs.Parse(new[] { "rule-clusters", "--data", data, "--json", json }, CommandLine.KnownFlags)));
            Assert.Contains(data + line, error.Message);
            Assert.Contains(field, error.Message);
            Assert.Equal(1, Lab("experiment", "rule-clusters", "--data", data, "--json", json));
            Assert.Equal(1, Lab("experiment", "tangent-kernel", "--data", data, "--json", json));
            Assert.False(File.Exists(json));
        }
        finally { File.Delete(data); }
    }

    [Fact]
    public void AnEditedDataFileGivesAnotherResumeKey()
    {
        string data = Temp(".jsonl");
        File.Copy(Example, data);
        try
        {
            var config = SmallPreset.Preset.RuleClusters with { Task = RuleDataFile.TaskName(data), DataFile = data };
            var definition =
                new ExperimentDefinition<ExperimentConfig>(RuleClustersExperiment.Definition(config), config);
            string before = RunParts.KeyOf(definition);
            Assert.Equal(before, RunParts.KeyOf(definition));
            File.AppendAllText(data, File.ReadLines(Example).First().Replace("It rains.", "It pours.") + "\n");
            Assert.NotEqual(before, RunParts.KeyOf(definition));
        }
        finally { File.Delete(data); }
    }

    [Fact]
    public void TheTaskOfAFileIsItsOwn()
    {
        string json = Temp(".json");
        var error = Assert.Throws<ArgumentException>(() => new ExperimentCommand(new StringWriter()).Run(
            ParsedArgs.Parse(new[] { "injection", "--data", Example, "--task", "math", "--json", json },
                CommandLine.KnownFlags)));
        Assert.Contains("a file's task is 'file:rules-example'", error.Message);
        Assert.False(File.Exists(json));
    }

    // Two rules whose premises say which rule they are ("up" or "down" words): a synthetic task, not the study's.
    private static string SignalFile(bool shuffleLabels)
    {
        var random = new Random(7);
        var lines = new List<string>();
        string[] up = { "rise", "climb", "grow", "lift" }, down = { "fall", "drop", "sink", "shrink" };
        for (int k = 0; k < 160; k++)
        {
            bool isUp = k % 2 == 0;
            string verb = (isUp ? up : down)[k / 2 % 4];
            string rule = isUp ? "upward" : "downward";
            if (shuffleLabels && random.Next(2) == 0) rule = rule == "upward" ? "downward" : "upward";
            lines.Add($"{{\"rule\": \"{rule}\", \"premises\": [\"item {k} and {verb} {k % 13}\"], " +
                      $"\"conclusion\": \"{verb} {k}\"}}");
        }
        string path = Temp(".jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void TheTangentKernelExperimentRunsOnAFile()
    {
        // 80 examples per rule, no groups: a stratified test split of 8 per rule, the kernel sample's minimum
        string data = SignalFile(shuffleLabels: false);
        try
        {
            var report = TangentKernelExperiment.Run(TinyExperiments.Kernel with
            {
                Task = RuleDataFile.TaskName(data),
                DataFile = data,
                Seeds = new[] { 1 },
            });
            Assert.Equal(new[] { "downward", "upward" }, report.Rules);
            Assert.All(report.Seeds, s => Assert.Equal(16, s.Examples));
            Assert.Equal(data, report.Config.DataFile);
        }
        finally { File.Delete(data); }
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void WithTheLabelsShuffledInTheDataTheVerdictIsNotHolds()
    {
        // The control is the truth when the labels are noise: the supervised arm can then learn nothing the shuffled
        // arm cannot, and the verdict must not be "holds". The same settings on the true labels say "holds", so the
        // check can fail both ways (on a synthetic task; no test pins an outcome of the study's tasks).
        ExperimentReport Run(bool shuffled)
        {
            string data = SignalFile(shuffled);
            try
            {
                return RuleClustersExperiment.Run(SmallPreset.Preset.RuleClusters with
                {
                    Task = RuleDataFile.TaskName(data),
                    DataFile = data,
                    Seeds = new[] { 1, 2, 3, 4 },
                    EncoderSteps = 150,
                    Steps = 30,
                    TestFraction = 0.1,
                    Vae = TinyVae.Config with { RuleWeight = 1 },
                });
            }
            finally { File.Delete(data); }
        }
        var truth = Run(shuffled: false);
        Assert.True(truth.Verdict == Outcome.Holds, truth.Evidence);
        var noise = Run(shuffled: true);
        Assert.NotEqual(Outcome.Holds, noise.Verdict);
    }
}

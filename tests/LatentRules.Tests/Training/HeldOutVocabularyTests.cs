using LatentRules.Data;
using LatentRules.Data.Syllogistic;
using LatentRules.Experiments;
using LatentRules.Models.Vae;
using LatentRules.Tokenizers;
using LatentRules.Training;

namespace LatentRules.Tests.Training;

/// <summary>
/// The word vocabulary the VAE experiments build must give held-out terms ids of their own: a test item built from
/// held-out terms is unseen in training, not a row of [UNK]s (which would make moods that differ only in which term
/// repeats encode identically).
/// </summary>
public sealed class HeldOutVocabularyTests
{
    private static int[] Encode(ITokenizer t, ReasoningExample e) =>
        e.Premises.Append(e.Conclusion).SelectMany(x => t.Encode(x)).ToArray();

    [Theory]
    [InlineData("syllogistic")]
    [InlineData("explanatory")]
    public void HeldOutTestItemsHaveNoUnknownWords(string taskName)
    {
        var task = ReasoningTasks.Get(taskName);
        var data = task.Generate(new GenerationOptions(Size: 600, Seed: 1));
        var tokenizer = (WordTokenizer)VaeExperiment.Prepare(task, data, TargetMode.Inference).Tokenizer;
        var unknown = data.Test.Where(e => Encode(tokenizer, e).Contains(WordTokenizer.Unk)).Select(e => e.Conclusion)
            .ToList();
        Assert.True(unknown.Count == 0,
            $"{unknown.Count} of {data.Test.Count} test items hold [UNK], e.g. {unknown.FirstOrDefault()}");

        // The check has teeth: the test split really uses words that no training item contains.
        var trainWords = data.Train.SelectMany(e => e.Premises.Append(e.Conclusion))
            .SelectMany(WordTokenizer.SplitWords).ToHashSet();
        var unseen = data.Test.SelectMany(e => e.Premises.Append(e.Conclusion)).SelectMany(WordTokenizer.SplitWords)
            .Where(w => !trainWords.Contains(w)).Distinct().ToList();
        Assert.True(unseen.Count >= 10,
            $"only {unseen.Count} test words are unseen in train: {string.Join(", ", unseen)}");
    }

    [Fact]
    public void HeldOutSyllogisticTermsKeepDistinctIds()
    {
        var task = new SyllogisticTask();
        var data = task.Generate(new GenerationOptions(Size: 600, Seed: 1));
        var tokenizer = VaeExperiment.Prepare(task, data, TargetMode.Inference).Tokenizer;
        // Every held-out noun and individual of every domain (single words) encodes to one id of its own, never [UNK].
        var heldOut = task.HeldOut(1).Values.SelectMany(p => p.Nouns.Concat(p.Individuals)).Where(w => !w.Contains(' '))
            .Distinct().ToList();
        Assert.True(heldOut.Count >= 20, $"{heldOut.Count} single-word held-out terms");
        var ids = heldOut.Select(w => tokenizer.Encode(w)).ToList();
        Assert.All(ids, id => Assert.Single(id));
        Assert.DoesNotContain(WordTokenizer.Unk, ids.Select(id => id[0]));
        Assert.Equal(heldOut.Count, ids.Select(id => id[0]).Distinct().Count());

        // So two test items that differ only in which held-out term repeats encode differently.
        var test = data.Test.Select(e => Encode(tokenizer, e)).ToList();
        Assert.Equal(test.Count, test.Select(ids => string.Join(",", ids)).Distinct().Count());
    }
}

using LatentRules.Tokenizers;

namespace LatentRules.Tests.Tokenizers;

public sealed class PaddedBatchTests
{
    private static readonly int[][] Sequences = { new[] { 5, 6, 7 }, new[] { 8 }, Array.Empty<int>() };

    [Fact]
    public void RightPaddingPutsTokensFirst()
    {
        var batch = PaddedBatch.Pad(Sequences, padId: 0);
        Assert.Equal(new long[,] { { 5, 6, 7 }, { 8, 0, 0 }, { 0, 0, 0 } }, batch.Ids);
        Assert.Equal(new long[,] { { 1, 1, 1 }, { 1, 0, 0 }, { 0, 0, 0 } }, batch.AttentionMask);
        Assert.Equal(new[] { 3, 1, 0 }, batch.Lengths);
        Assert.Equal((3, 3), (batch.Rows, batch.Columns));
        Assert.Equal(new[] { 8 }, batch.Row(1));
    }

    [Fact]
    public void LeftPaddingEndsEveryRowAtTheLastColumn()
    {
        var batch = PaddedBatch.Pad(Sequences, padId: 9, PaddingSide.Left, length: 4);
        Assert.Equal(new long[,] { { 9, 5, 6, 7 }, { 9, 9, 9, 8 }, { 9, 9, 9, 9 } }, batch.Ids);
        Assert.Equal(new long[,] { { 0, 1, 1, 1 }, { 0, 0, 0, 1 }, { 0, 0, 0, 0 } }, batch.AttentionMask);
        Assert.Equal(new[] { 5, 6, 7 }, batch.Row(0));
        Assert.Throws<ArgumentException>(() => PaddedBatch.Pad(Sequences, 0, length: 2));
        Assert.Equal((0, 0),
            (PaddedBatch.Pad(Array.Empty<int[]>(), 0).Rows, PaddedBatch.Pad(Array.Empty<int[]>(), 0).Columns));
    }

    [Fact]
    public void TokenizersEncodeBatchesWithTheirPaddingId()
    {
        var qwen = ByteLevelBpeTokenizer.Qwen();
        var batch = qwen.EncodeBatch(new[] { "Hello world", " Hello" });
        Assert.Equal(new long[,] { { 9707, 1879 }, { 21927, 151643 } }, batch.Ids);
        var words = WordTokenizer.Build(new[] { "a b c" });
        var wordBatch = words.EncodeBatch(new[] { "a b", "c" }, addSpecialTokens: true, PaddingSide.Left);
        Assert.Equal(new[] { 1, words.TokenToId("a")!.Value, words.TokenToId("b")!.Value, 2 }, wordBatch.Row(0));
        Assert.Equal(new long[] { 0, 1, words.TokenToId("c")!.Value, 2 },
            Enumerable.Range(0, 4).Select(c => wordBatch.Ids[1, c]));
    }
}

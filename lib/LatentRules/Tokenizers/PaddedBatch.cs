namespace LatentRules.Tokenizers;

public enum PaddingSide
{
    /// <summary>Tokens first, padding after (encoders, teacher forcing).</summary>
    Right,
    /// <summary>Padding first, so every row ends at the last column (batched generation).</summary>
    Left,
}

/// <summary>
/// Id sequences of different lengths padded into one rectangle, with the attention mask (1 token, 0 padding), as
/// plain arrays that any tensor library can take: <c>Ids[row, column]</c>.
/// </summary>
public sealed class PaddedBatch
{
    public long[,] Ids { get; }
    public long[,] AttentionMask { get; }
    /// <summary>Number of real tokens in each row.</summary>
    public int[] Lengths { get; }
    public PaddingSide Side { get; }
    public int Rows => Ids.GetLength(0);
    public int Columns => Ids.GetLength(1);

    private PaddedBatch(long[,] ids, long[,] mask, int[] lengths, PaddingSide side) =>
        (Ids, AttentionMask, Lengths, Side) = (ids, mask, lengths, side);

    /// <summary>
    /// Pads <paramref name="sequences"/> to the longest of them, or to <paramref name="length"/> when given (a longer
    /// sequence is an error: nothing is cut silently).
    /// </summary>
    public static PaddedBatch Pad(IReadOnlyList<int[]> sequences, int padId, PaddingSide side = PaddingSide.Right,
        int? length = null)
    {
        int rows = sequences.Count, longest = rows == 0 ? 0 : sequences.Max(s => s.Length);
        int columns = length ?? longest;
        if (longest > columns)
            throw new ArgumentException($"a sequence has {longest} ids, more than the padded length {columns}");
        var ids = new long[rows, columns];
        var mask = new long[rows, columns];
        var lengths = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            var s = sequences[r];
            lengths[r] = s.Length;
            int offset = side == PaddingSide.Left ? columns - s.Length : 0;
            for (int c = 0; c < columns; c++) ids[r, c] = padId;
            for (int k = 0; k < s.Length; k++) { ids[r, offset + k] = s[k]; mask[r, offset + k] = 1; }
        }
        return new PaddedBatch(ids, mask, lengths, side);
    }

    /// <summary>The real ids of <paramref name="row"/>, without padding.</summary>
    public int[] Row(int row)
    {
        int offset = Side == PaddingSide.Left ? Columns - Lengths[row] : 0;
        var ids = new int[Lengths[row]];
        for (int k = 0; k < ids.Length; k++) ids[k] = (int)Ids[row, offset + k];
        return ids;
    }
}

namespace LatentRules.Tokenizers;

/// <summary>
/// GPT-2's reversible map from the 256 byte values to printable characters: printable Latin-1 bytes map to
/// themselves, the others to U+0100 onwards. Microsoft.ML.Tokenizers applies it inside its byte-level BPE; the
/// lab needs it only to check that a vocabulary has a token for every byte (a missing one would be dropped silently).
/// </summary>
public static class ByteLevelAlphabet
{
    public static readonly char[] ByteToChar = Build();
    private static readonly HashSet<char> Chars = new(ByteToChar);

    private static char[] Build()
    {
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }

    /// <summary>Whether every character of <paramref name="token"/> stands for a byte.</summary>
    public static bool Spells(string token)
    {
        foreach (char c in token) if (!Chars.Contains(c)) return false;
        return true;
    }
}

namespace LatentRules.Tokenizers;

/// <summary>
/// The Qwen2 / Qwen2.5 pre-tokenizer split, written out by hand over Unicode code points:
/// <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}|
/// ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>. .NET's Regex classifies UTF-16 code units, so a letter
/// outside the Basic Multilingual Plane (rare CJK such as U+20000) would not count as \p{L}; here every test is on
/// whole code points, with the alternatives tried in order and the same greedy/backtracking outcome as the regex. \s is
/// Unicode White_Space, as in Oniguruma (the Rust tokenizers); JavaScript's \s differs on U+0085 and U+FEFF.
/// </summary>
public static class QwenPreTokenizer
{
    /// <summary>The pattern string this class implements (as it appears in tokenizer.json).</summary>
    public const string Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|" +
        @"\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Splits <paramref name="text"/> into pre-tokens (their concatenation is the text).</summary>
    public static List<string> Split(string text)
    {
        var pieces = new List<string>();
        for (int i = 0; i < text.Length;)
        {
            int end = MatchEnd(text, i, text.Length);
            pieces.Add(text[i..end]);
            i = end;
        }
        return pieces;
    }

    /// <summary>
    /// End (exclusive) of the pre-token that starts at <paramref name="i"/>, in the text <paramref name="s"/>[..end]
    /// (the split sees <paramref name="end"/> as the end of the text).
    /// </summary>
    public static int MatchEnd(string s, int i, int end)
    {
        int c = CodePoints.At(s, i, end, out int w);
        var kind = CodePoints.Kind(c);
        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if (c == '\'' && ContractionEnd(s, i + 1, end) is > 0 and var contraction) return contraction;
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (kind == CharKind.Letter) return LettersEnd(s, i + w, end);
        if (kind != CharKind.Number && c is not ('\r' or '\n') && i + w < end
            && CodePoints.Kind(CodePoints.At(s, i + w, end, out int w2)) == CharKind.Letter)
            return LettersEnd(s, i + w + w2, end);
        // \p{N}
        if (kind == CharKind.Number) return i + w;
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        int j = c == ' ' && i + 1 < end && CodePoints.Kind(CodePoints.At(s, i + 1, end, out _)) == CharKind.Other
            ? i + 1 : i;
        if (j > i || kind == CharKind.Other)
        {
            while (j < end)
            {
                int cp = CodePoints.At(s, j, end, out int wj);
                if (CodePoints.Kind(cp) != CharKind.Other) break;
                j += wj;
            }
            while (j < end && s[j] is '\r' or '\n') j++;
            return j;
        }
        // Here c is whitespace: \s*[\r\n]+ | \s+(?!\S) | \s+ (every White_Space character is one UTF-16 unit).
        int run = i, lastNewline = -1;
        while (run < end && CodePoints.Kind(s[run]) == CharKind.Space)
        {
            if (s[run] is '\r' or '\n') lastNewline = run;
            run++;
        }
        if (lastNewline >= 0) return lastNewline + 1;       // \s* backs off to the last newline, [\r\n]+ takes it
        if (run == end || run - i == 1) return run;         // \s+ up to the end of the text, or a single \s
        return run - 1;                                     // \s+(?!\S): leave the last space for the next word
    }

    private static int LettersEnd(string s, int j, int end)
    {
        while (j < end)
        {
            int cp = CodePoints.At(s, j, end, out int wj);
            if (CodePoints.Kind(cp) != CharKind.Letter) break;
            j += wj;
        }
        return j;
    }

    // End of 's 't 're 've 'm 'll 'd (case-insensitive) whose apostrophe is just before p; 0 if none.
    private static int ContractionEnd(string s, int p, int end)
    {
        if (p >= end) return 0;
        char Next(int k) => p + k < end ? Fold(s[p + k]) : '\0';
        return Fold(s[p]) switch
        {
            's' or 't' or 'm' or 'd' => p + 1,
            'r' or 'v' when Next(1) == 'e' => p + 2,
            'l' when Next(1) == 'l' => p + 2,
            _ => 0,
        };
    }

    // Unicode simple case folding, as far as it reaches these letters: ASCII, and U+017F (long s) folds to s.
    private static char Fold(char c) => c < 128 ? char.ToLowerInvariant(c) : c == '\u017F' ? 's' : c;
}

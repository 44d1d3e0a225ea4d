using System.Globalization;
using System.Text;

namespace LatentRules.Tokenizers;

/// <summary>
/// The classes a tokenizer's split needs, decided per code point: \p{L}, \p{N}, \s (Unicode White_Space), the rest.
/// </summary>
internal enum CharKind : byte { Letter, Number, Space, Other }

/// <summary>
/// Code-point reading over UTF-16 strings. .NET's Regex and char APIs classify UTF-16 code units, so a letter
/// outside the Basic Multilingual Plane (e.g. U+20000) would look like two surrogates; here a surrogate pair is
/// one code point and a lone surrogate reads as U+FFFD.
/// </summary>
internal static class CodePoints
{
    private static readonly CharKind[] Bmp = BuildBmp();   // 64 KiB, filled once

    private static CharKind[] BuildBmp()
    {
        var table = new CharKind[0x10000];
        for (int c = 0; c < table.Length; c++) table[c] = Classify(c);
        return table;
    }

    private static CharKind Classify(int c)
    {
        if (c is >= 0xD800 and <= 0xDFFF) return CharKind.Other;   // surrogates: read as U+FFFD (a symbol)
        var rune = new Rune(c);
        if (Rune.IsWhiteSpace(rune)) return CharKind.Space;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharKind.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber =>
                CharKind.Number,
            _ => CharKind.Other,
        };
    }

    public static CharKind Kind(int codePoint) => codePoint < 0x10000 ? Bmp[codePoint] : Classify(codePoint);

    /// <summary>
    /// The code point at <paramref name="i"/> (before <paramref name="end"/>) and its width in UTF-16 units.
    /// </summary>
    public static int At(string s, int i, int end, out int width)
    {
        char c = s[i];
        if (char.IsHighSurrogate(c) && i + 1 < end && char.IsLowSurrogate(s[i + 1]))
        {
            width = 2;
            return char.ConvertToUtf32(c, s[i + 1]);
        }
        width = 1;
        return char.IsSurrogate(c) ? 0xFFFD : c;
    }

    public static bool IsCombiningMark(int codePoint) => Rune.GetUnicodeCategory(new Rune(codePoint))
        is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    /// <summary>
    /// <paramref name="text"/> with every lone surrogate replaced by U+FFFD (what UTF-8 encoding makes of it).
    /// </summary>
    public static string ReplaceLoneSurrogates(string text)
    {
        char[]? fixedText = null;
        for (int i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            fixedText ??= text.ToCharArray();
            fixedText[i] = '\uFFFD';
        }
        return fixedText is null ? text : new string(fixedText);
    }
}

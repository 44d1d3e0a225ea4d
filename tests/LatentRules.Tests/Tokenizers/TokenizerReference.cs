using LatentRules.Lab.Benchmarks;
using LatentRules.Tests.Support;

namespace LatentRules.Tests.Tokenizers;

/// <summary>The official JS tokenizer (npm @huggingface/tokenizers, installed by setup.sh) and the corpus the parity
/// tests compare on.</summary>
public static class TokenizerReference
{
    public static JsTokenizer.Result Encode(string tokenizerJson, IReadOnlyList<string> lines)
    {
        try { return JsTokenizer.Encode(RepoPaths.Root, tokenizerJson, lines); }
        catch (InvalidOperationException e) { throw new Xunit.Sdk.XunitException(e.Message); }
    }

    /// <summary>Lines that exercise every branch of the split, the added tokens and NFC; then published reference lines
    /// when present.</summary>
    public static List<string> Corpus(int referenceLines = 1500)
    {
        var lines = new List<string>
        {
            // English, contractions (case-insensitive, with U+017F long s folding to s)
            "Hello world", " Hello world", "Hello  world   ", "  leading spaces", "trailing spaces   ",
            "MiXeD CaSe WoRdS",
            "I'm sure they'll say it's OK, we've done what you'd want. DON'T SHOUT'S", "l'été", "rock 'n' roll",
            "'''",
            "ſ's 's 'S 'LL 'ſ 'ſx don'T 'RE're'Ve 'd'm't", "it's'", "'", "x'",
            "Ǆemo ǅungla ǆ (titlecase letters)", "ﬁne ﬂow (ligatures)",
            // whitespace runs: tabs, newlines, carriage returns, trailing and Unicode spaces
            "tabs\tand\t\ttabs", "line one\nline two\r\nline three\n\n\nend", "\n\n", " \n ", "\r", "a\rb", " \t \n x",
            "x \n",
            "trailing newline\n", "  \n\n  y", "tab\t\n\tz", "\t\t", "a\u00a0b\u2003c\u3000d",
            "\u2028line separator\u2029", "x\u2007\u202fy",
            // digits and long digit runs
            "1234567890", "3.14159 and 2.71828", "x = 10000000000000000000001",
            "12345678901234567890123456789012345678901234567890",
            "3,000,000.50 $12.99 -7e-10", "٣٤٥ ٦٧ (Arabic-Indic digits) ½ ¾ Ⅻ",
            "𝟘𝟙𝟚 𐄇𐄈 (digits and numbers outside the BMP)", "v2.0.1-rc3",
            // code and LaTeX
            "def f(x):\n    return x ** 2  # square\n", "for (int i = 0; i < n; i++) { sum += a[i]; }",
            "if a==b and c!=d: pass",
            "\\frac{E}{a} - Q^{2} + \\log{(k)} e^{- P + w}",
            "performing integration for \\frac{t}{H} where the variable is H & the result is t \\log{(H)}",
            "\\int_{0}^{\\infty} e^{-x^{2}} \\, dx = \\frac{\\sqrt{\\pi}}{2}", "!!!???...---***", "  !!!  ",
            "a-b_c.d/e\\f", "email@example.com https://x.y/z?q=1",
            // scripts: CJK, rare CJK outside the BMP (U+20000 range), math letters outside the BMP, RTL, Indic, Thai
            "机器学习是人工智能的一个分支。",
            "日本語のテキストとカタカナ、ひらがな。", "한국어 문장입니다.",
            "日本語abc123日本", "𠀀𠀁𠀂 𪚥 𩸽 𠮷野家",
            "𝒜𝓁𝓅𝒽𝒶 𝔹𝕖𝕥𝕒",
            "a𐀀.b x𝒜,y 𐀀's (letters outside the BMP before punctuation: .NET's Regex splits them apart)",
            string.Concat(Enumerable.Repeat("𝒜", 60)) + " (a word of 60 letters, 120 UTF-16 units)",
            "Ωmega αλφα βήτα", "Привет, как дела?", "עברית וערבית: مرحبا",
            "हिन्दी भाषा", "ไทย ภาษา",
            // emoji: ZWJ sequences, skin tones, flags, tag sequences, keycaps, variation selectors
            "😀😃😄 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 ❤️", "emoji😀inside😀words",
            "👩🏿‍💻 🧑🏻‍🤝‍🧑🏼 " +
            "🏴󠁧󠁢󠁳󠁣󠁴󠁿 🇯🇵🇺🇸 1️⃣ #️⃣ ©️®️™️",
            // accents and combining characters (NFC composes them)
            "café naïve coöperate résumé", "cafe\u0301 nai\u0308ve (combining marks, NFC)",
            "a\u0301\u0302\u0303 q\u0307\u0323",
            "\u212b and \u00c5 (Angstrom sign)", "\u1100\u1161\u11a8 (Hangul jamo)", "\u200bzero\u200bwidth",
            // added tokens in text
            "<|endoftext|>", "before<|im_start|>user\nhello<|im_end|>after",
            "<|im_start|>system\nYou are Qwen.<|im_end|>\n",
            "<|im_end|><|im_end|>", "<|not_special|>", "<|im_start", "<|endoftext|>Hello<|endoftext|>",
            "<think>reasoning</think>",
            "<tool_call>{\"name\": \"f\"}</tool_call>",
            // raw added tokens are found before NFC, which would fuse "<|im_end|>" + U+0338 into "<|im_end|≯"
            "<|im_end|>\u0338", "x<think>\u0338y", "[CLS]the[SEP] x[MASK]y [SEP]",
            // empty and tiny
            "", " ", "   ", "\t", "x",
            // long pre-tokens (the BPE priority-queue path)
            new string('a', 300), new string('=', 2000),
            string.Concat(Enumerable.Repeat("supercalifragilisticexpialidocious", 3)),
            "的一是不了人我在有他这为之大来以个中上们" +
            "到说国和地也子时道出而要于就下得可你年生",
            string.Concat(Enumerable.Repeat("😀", 40)),
            string.Concat(Enumerable.Repeat("ab", 100)) + " " + new string(' ', 50) + "end",
        };
        // The published lines join the corpus where ../shared/reference-data is present (CI); a clone on its own
        // compares on the varied lines alone.
        if (ReferenceData.Present)
            foreach (var file in new[] { "math-derivations/train.txt", "entailmentbank-steps/train.csv" })
                lines.AddRange(File.ReadLines(ReferenceData.Path(file)).Where((_, k) => k % 7 == 0)
                    .Take(referenceLines / 2));
        return lines;
    }
}

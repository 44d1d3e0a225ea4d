using System.Text.RegularExpressions;
using LatentRules.Data.Language;

namespace LatentRules.Data.Explanatory;

/// <summary>
/// Applies the example's rule to its two premises (as text, with the knowledge base to read verb phrases
/// and entity names) and compares the candidate with what the rule gives: normalised text (case, spacing,
/// final full stop, a/an/the at the start) plus structural checks (the link term of both premises agrees,
/// the instance of a conditional is a kind of its class, a conjunction's parts may come in either order).
/// The stored conclusion is never consulted, so an ill-formed example accepts nothing.
/// </summary>
public sealed class ExplanatoryVerifier
{
    private static readonly Regex KindOf = new(@"^(.+) is a kind of (.+)$");
    private static readonly Regex Means = new(@"^(.+?) means (.+)$");
    private static readonly Regex IfThen = new(@"^if (.+?) then that (.+?) will (.+)$");
    private static readonly Regex Cause = new(@"^(.+?) (causes|cause|leads to|lead to|can cause|can lead to) (.+)$");

    private readonly KnowledgeBase _kb;
    private readonly ExplanatoryText _text;
    private readonly Dictionary<string, string> _gerunds = new(), _phrases = new();

    public ExplanatoryVerifier(KnowledgeBase kb)
    {
        _kb = kb;
        _text = new ExplanatoryText(kb);
        var verbPhrases = kb.Nodes.SelectMany(kb.OwnProperties).SelectMany(p => kb.Definitions(p).Append(p));
        foreach (var vp in verbPhrases) _gerunds[ExplanatoryText.Gerund(vp)] = vp;
        foreach (var n in kb.Nodes) { _phrases[_text.Indefinite(n)] = n; _phrases[_text.Definite(n)] = n; }
    }

    public Verdict Verify(ReasoningExample example, string candidate)
    {
        if (example.Premises.Count != 2)
            return Verdict.No($"an explanation step has two premises, this one has {example.Premises.Count}");
        string p1 = Normal(example.Premises[0]), p2 = Normal(example.Premises[1]), c = Normal(candidate);
        var (accepted, error) = Derive(example.Rule, p1, p2);
        if (error != null) return Verdict.No($"{example.Rule} does not apply to these premises: {error}");
        if (accepted.Select(Normal).Contains(c)) return Verdict.Yes($"follows by {example.Rule}");
        if (c == p1 || c == p2) return Verdict.No("restates a premise");
        return Verdict.No($"{example.Rule} gives '{accepted[0]}'");
    }

    /// <summary>Lower case, single spaces, no final full stop, a leading a/an/the read as "the".</summary>
    public static string Normal(string s)
    {
        s = string.Join(' ', s.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.')
            .TrimEnd();
        foreach (var article in new[] { "a ", "an ", "the " })
            if (s.StartsWith(article, StringComparison.Ordinal)) return "the " + s[article.Length..];
        return s;
    }

    private (List<string> Accepted, string? Error) Derive(string rule, string p1, string p2)
    {
        static (List<string>, string?) Fail(string why) => (new List<string>(), why);
        static (List<string>, string?) Give(params string[] s) => (s.ToList(), null);
        switch (rule)
        {
            case "property_inheritance":
            {
                var m = KindOf.Match(p1);
                if (!m.Success) return Fail("the first premise is not 'X is a kind of Y'");
                string y = m.Groups[2].Value;
                var rest = Rest(p2, Normal(_text.Indefinite(y)), Normal(y));
                return rest is null ? Fail($"the second premise is not about '{y}'")
                    : Give($"{m.Groups[1].Value} {rest}");
            }
            case "argument_substitution":
            {
                var m = KindOf.Match(p2);
                if (!m.Success) return Fail("the second premise is not 'X is a kind of Y'");
                string x = Strip(m.Groups[1].Value), y = m.Groups[2].Value;
                var occurrence = new Regex($@"\b(a |an |the )?{Regex.Escape(x)}\b").Match(p1);
                if (!occurrence.Success) return Fail($"the first premise does not mention '{x}'");
                return Give(p1[..occurrence.Index] + _text.Indefinite(y) +
                    p1[(occurrence.Index + occurrence.Length)..]);
            }
            case "predicate_substitution":
            {
                var m = Means.Match(p2);
                if (!m.Success || !_gerunds.TryGetValue(m.Groups[1].Value, out var defined)
                    || !_gerunds.TryGetValue(m.Groups[2].Value, out var meaning))
                    return Fail("the second premise is not a definition 'being X means being Y' of the knowledge base");
                string said = " " + English.Conjugate(defined, false);
                if (!p1.EndsWith(said, StringComparison.Ordinal))
                    return Fail($"the first premise does not say '{said.Trim()}'");
                return Give(p1[..^said.Length] + " " + English.Conjugate(meaning, false));
            }
            case "conjunction":
            {
                var subject = _phrases.Keys.Select(Normal).Where(s => p1.StartsWith(s + " ", StringComparison.Ordinal)
                    && p2.StartsWith(s + " ", StringComparison.Ordinal))
                    .OrderByDescending(s => s.Length).FirstOrDefault();
                if (subject is null) return Fail("the premises do not share a subject");
                string a = p1[(subject.Length + 1)..], b = p2[(subject.Length + 1)..];
                if (a == b) return Fail("the premises say the same thing");
                return Give($"{subject} {a} and {b}", $"{subject} {b} and {a}");
            }
            case "if_then":
            {
                var m = IfThen.Match(p1);
                if (!m.Success) return Fail("the first premise is not 'if ... then that ... will ...'");
                string cls = m.Groups[2].Value;
                var condition = Rest(m.Groups[1].Value, Normal(_text.Indefinite(cls)), Normal(cls));
                if (condition is null) return Fail($"the condition is not about '{cls}'");
                if (!p2.EndsWith(" " + condition, StringComparison.Ordinal))
                    return Fail($"the second premise does not state the condition '{condition}'");
                string instance = Strip(p2[..^(condition.Length + 1)]);
                if (_phrases.TryGetValue(instance, out var node) || _kb.Nodes.Contains(node = instance))
                    if (!_kb.Ancestors(node).Contains(cls)) return Fail($"'{instance}' is not a kind of {cls}");
                return Give($"{_text.Definite(node)} will {m.Groups[3].Value}");
            }
            case "causal_chaining":
            {
                var m1 = Cause.Match(p1);
                var m2 = Cause.Match(p2);
                if (!m1.Success || !m2.Success) return Fail("the premises are not both 'A causes B'");
                if (Normal(m1.Groups[3].Value) != Normal(m2.Groups[1].Value))
                    return Fail($"the effect '{m1.Groups[3].Value}' is not the second premise's cause");
                string a = m1.Groups[1].Value, c = m2.Groups[3].Value;
                if (a == c) return Fail("the chain returns to its start");
                return Give($"{a} can cause {c}", $"{a} causes {c}", $"{a} cause {c}", $"{a} leads to {c}",
                    $"{a} lead to {c}", $"{a} can lead to {c}");
            }
            default:
                return Fail($"unknown rule '{rule}'");
        }
    }

    /// <summary>The text after any of the given subjects (Normal writes a leading article as "the").</summary>
    private static string? Rest(string sentence, params string[] subjects)
    {
        foreach (var s in subjects.Concat(subjects.Select(x => Normal(x))).Distinct())
            if (Normal(sentence).StartsWith(s + " ", StringComparison.Ordinal))
                return Normal(sentence)[(s.Length + 1)..];
        return null;
    }

    private static string Strip(string phrase)
    {
        foreach (var article in new[] { "a ", "an ", "the " })
            if (phrase.StartsWith(article, StringComparison.Ordinal)) return phrase[article.Length..];
        return phrase;
    }
}

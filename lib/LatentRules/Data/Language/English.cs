namespace LatentRules.Data.Language;

/// <summary>
/// The few pieces of English agreement the generated sentences need: a/an, plural nouns, third-person
/// verbs and their negation. Irregular nouns are written into the vocabularies themselves
/// ("mouse/mice"), so the rules here only cover the regular cases plus the sound-based a/an exceptions.
/// </summary>
public static class English
{
    // Vowel letters that are read with a consonant sound ("a unicorn", "a European", "a one-way street").
    private static readonly string[] ConsonantSoundPrefixes =
        { "uni", "use", "usu", "uti", "ure", "eu", "one", "once", "ewe", "ubiq" };
    // A silent h: "an hour", "an honest baker".
    private static readonly string[] SilentHPrefixes = { "hour", "honest", "honor", "honour", "heir" };

    /// <summary>"a" or "an" for the word that follows it (by sound, not by letter).</summary>
    public static string IndefiniteArticle(string nextWord)
    {
        string w = nextWord.TrimStart().ToLowerInvariant();
        if (w.Length == 0) throw new ArgumentException("no word after the article", nameof(nextWord));
        if (SilentHPrefixes.Any(w.StartsWith)) return "an";
        if ("aeiou".Contains(w[0])) return ConsonantSoundPrefixes.Any(w.StartsWith) ? "a" : "an";
        return "a";
    }

    /// <summary>"a cat", "an apple", "an honest baker".</summary>
    public static string WithArticle(string phrase) => IndefiniteArticle(phrase) + " " + phrase;


    /// <summary>Capitalises the first letter ("all cats are mammals" -> "All cats are mammals").</summary>
    public static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static readonly string[] Modals = { "can", "will", "may", "must", "should", "could", "might", "would" };

    /// <summary>
    /// Conjugates a verb phrase given in its base form ("be warm-blooded", "have feathers", "need water",
    /// "can fly") for a third-person subject: singular "is warm-blooded", plural "are warm-blooded";
    /// negated "is not", "does not have", "cannot fly", "will not melt".
    /// </summary>
    public static string Conjugate(string baseVerbPhrase, bool plural, bool negated = false)
    {
        int space = baseVerbPhrase.IndexOf(' ');
        string verb = space < 0 ? baseVerbPhrase : baseVerbPhrase[..space];
        string rest = space < 0 ? "" : baseVerbPhrase[space..];
        if (verb == "be") return (plural ? "are" : "is") + (negated ? " not" : "") + rest;
        if (Modals.Contains(verb))
            return (negated ? (verb == "can" ? "cannot" : verb + " not") : verb) + rest;
        if (negated) return (plural ? "do not " : "does not ") + verb + rest;
        return (plural ? verb : ThirdPersonSingular(verb)) + rest;
    }

    /// <summary>
    /// "need" -> "needs", "have" -> "has", "carry" -> "carries", "go" -> "goes", "catch" -> "catches".
    /// </summary>
    public static string ThirdPersonSingular(string verb)
    {
        switch (verb)
        {
            case "have": return "has";
            case "be": return "is";
            case "do": return "does";
            case "go": return "goes";
        }
        if (verb.EndsWith("s") || verb.EndsWith("x") || verb.EndsWith("z") || verb.EndsWith("ch") || verb.EndsWith("sh")
            || verb.EndsWith("o"))
            return verb + "es";
        if (verb.Length > 1 && verb.EndsWith("y") && !"aeiou".Contains(verb[^2])) return verb[..^1] + "ies";
        return verb + "s";
    }
}

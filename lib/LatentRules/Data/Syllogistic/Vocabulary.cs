using System.Reflection;
using System.Text.Json;

namespace LatentRules.Data.Syllogistic;

/// <summary>
/// A noun with its plural written out, so irregular plurals ("mouse/mice", "cactus/cacti") read right.
/// </summary>
public sealed record Noun(string Singular, string Plural);

/// <summary>
/// One domain of the curated vocabulary (data/vocabulary/*.json, embedded in the assembly): named
/// individuals, count nouns (classes) and properties as base-form verb phrases ("be warm-blooded",
/// "have fur", "can fly"). A noun's id is its singular, a property's id its base form.
/// </summary>
public sealed record VocabularyDomain(string Name, IReadOnlyList<string> Individuals, IReadOnlyList<Noun> Nouns,
    IReadOnlyList<string> Properties)
{
    public bool IsNoun(string term) => Nouns.Any(n => n.Singular == term);
}

/// <summary>Loads the vocabulary domains embedded from data/vocabulary.</summary>
public static class Vocabulary
{
    private const string ResourcePrefix = "LatentRules.vocabulary.";
    private static readonly Lazy<IReadOnlyList<VocabularyDomain>> _domains = new(Load);

    public static IReadOnlyList<VocabularyDomain> Domains => _domains.Value;

    public static VocabularyDomain Domain(string name) =>
        Domains.FirstOrDefault(d => d.Name == name)
            ?? throw new ArgumentException($"unknown vocabulary domain '{name}'");

    private sealed record DomainFile(string Domain, List<string> Individuals, List<List<string>> Nouns,
        List<string> Properties);

    // Words that the sentence parser reads as connectives; a term holding one would make sentences ambiguous.
    private static readonly string[] Reserved = { "and", "or", "that", "if", "then", "either", "both", "not" };
    // Words that open a quantified sentence; an individual's name may not start with one.
    private static readonly string[] Quantifiers = { "no", "some", "all", "every", "everything", "it" };

    private static IReadOnlyList<VocabularyDomain> Load()
    {
        var asm = typeof(Vocabulary).Assembly;
        var names = asm.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal).ToList();
        if (names.Count == 0)
            throw new InvalidOperationException("no vocabulary embedded in LatentRules.dll (data/vocabulary/*.json)");
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        var domains = new List<VocabularyDomain>();
        foreach (var name in names)
        {
            using var stream = asm.GetManifestResourceStream(name)!;
            var file = JsonSerializer.Deserialize<DomainFile>(stream, options)
                ?? throw new InvalidDataException($"{name}: empty");
            var nouns = file.Nouns.Select(n => n.Count == 2 ? new Noun(n[0], n[1])
                : throw new InvalidDataException($"{name}: noun entries are [singular, plural]")).ToList();
            foreach (var w in file.Individuals.Concat(file.Properties)
                .Concat(nouns.SelectMany(n => new[] { n.Singular, n.Plural })))
                if (w.Split(' ').Any(Reserved.Contains))
                    throw new InvalidDataException($"{name}: '{w}' contains a reserved word");
            foreach (var w in file.Individuals)
                if (Quantifiers.Contains(w.Split(' ')[0].ToLowerInvariant()))
                    throw new InvalidDataException($"{name}: the individual '{w}' starts with a quantifier");
            domains.Add(new VocabularyDomain(file.Domain, file.Individuals, nouns, file.Properties));
        }
        return domains;
    }
}

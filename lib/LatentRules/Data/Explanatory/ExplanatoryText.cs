using LatentRules.Data.Language;

namespace LatentRules.Data.Explanatory;

/// <summary>
/// Sentence templates in EntailmentBank's style (lower case, no final full stop): "a dog is a kind of
/// mammal", "a mammal is warm-blooded", "being warm-blooded means keeping a constant body temperature",
/// "if a metal object is heated then that metal object will expand", "deforestation causes soil erosion".
/// </summary>
public sealed class ExplanatoryText
{
    private readonly KnowledgeBase _kb;

    public ExplanatoryText(KnowledgeBase kb) => _kb = kb;

    /// <summary>"a dog", "an owl", "copper", "the sun": the article a mass noun or name does not take.</summary>
    public string Indefinite(string node) => _kb.MassNouns.Contains(node) ? node : English.WithArticle(node);

    /// <summary>"the iron nail", "water".</summary>
    public string Definite(string node) => _kb.MassNouns.Contains(node) ? node : "the " + node;

    public string KindOf(string child, string parent) => $"{Indefinite(child)} is a kind of {parent}";

    public string Fact(string node, string verbPhrase) =>
        $"{Indefinite(node)} {English.Conjugate(verbPhrase, plural: false)}";

    public string Conjunction(string node, string first, string second) =>
        $"{Indefinite(node)} {English.Conjugate(first, false)} and {English.Conjugate(second, false)}";

    public static string Definition(string property, string meaning) => $"{Gerund(property)} means {Gerund(meaning)}";

    public string IfThen(Conditional c) =>
        $"if {Indefinite(c.Class)} {English.Conjugate(c.Condition, false)} then that {c.Class} will {c.Result}";

    public string Consequence(string node, Conditional c) => $"{Definite(node)} will {c.Result}";

    public string Causes(string cause, string effect, bool leadsTo)
    {
        bool plural = _kb.PluralEvents.Contains(cause);
        string verb = leadsTo ? (plural ? "lead to" : "leads to") : (plural ? "cause" : "causes");
        return $"{cause} {verb} {effect}";
    }

    public static string CanCause(string cause, string effect) => $"{cause} can cause {effect}";

    public string FillFrame(Frame f, string node) => f.Template.Replace("{x}", Indefinite(node));

    private static readonly Dictionary<string, string> IrregularGerunds = new()
    {
        ["be"] = "being", ["have"] = "having", ["let"] = "letting", ["get"] = "getting", ["run"] = "running",
        ["transfer"] = "transferring", ["lie"] = "lying", ["swim"] = "swimming", ["stop"] = "stopping",
        ["see"] = "seeing",
    };

    /// <summary>"be warm-blooded" -> "being warm-blooded", "make its own food" -> "making its own food".</summary>
    public static string Gerund(string verbPhrase)
    {
        int space = verbPhrase.IndexOf(' ');
        string verb = space < 0 ? verbPhrase : verbPhrase[..space], rest = space < 0 ? "" : verbPhrase[space..];
        string ing = IrregularGerunds.TryGetValue(verb, out var g) ? g
            : verb.EndsWith('e') && !verb.EndsWith("ee") ? verb[..^1] + "ing"
            : verb + "ing";
        return ing + rest;
    }
}

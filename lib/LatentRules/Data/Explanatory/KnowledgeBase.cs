namespace LatentRules.Data.Explanatory;

/// <summary>
/// A frame for argument substitution: a sentence with an object slot {x} that any descendant of Class may fill.
/// </summary>
public sealed record Frame(string Class, string Template);

/// <summary>
/// A conditional: if a Class meets Condition, then it will show Result (both base-form verb phrases).
/// </summary>
public sealed record Conditional(string Class, string Condition, string Result);

/// <summary>
/// The curated science knowledge base (data/knowledge/science.txt, embedded in the assembly): a taxonomy
/// ("X is a kind of Y", several parents allowed), properties of classes (inherited downwards), definitions
/// of properties, frames, conditionals and direct causes. Its file header documents the format.
/// </summary>
public sealed class KnowledgeBase
{
    private readonly Dictionary<string, List<string>> _parents = new(), _children = new(), _props = new(),
    _defs = new(), _effects = new();

    public HashSet<string> MassNouns { get; } = new();

    /// <summary>Events written in the plural, which take "cause" rather than "causes".</summary>
    public HashSet<string> PluralEvents { get; } = new();
    public List<Frame> Frames { get; } = new();
    public List<Conditional> Conditionals { get; } = new();

    /// <summary>Every taxonomy node, in file order.</summary>
    public List<string> Nodes { get; } = new();

    /// <summary>Every event of the cause graph, in file order.</summary>
    public List<string> Events { get; } = new();

    /// <summary>Number of facts read (kind, prop, def, frame, cond and cause lines).</summary>
    public int FactCount { get; private set; }

    private static readonly Lazy<KnowledgeBase> _science = new(() =>
    {
        using var stream = typeof(KnowledgeBase).Assembly.GetManifestResourceStream("LatentRules.knowledge.science.txt")
            ?? throw new InvalidOperationException("data/knowledge/science.txt is not embedded in LatentRules.dll");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "science.txt");
    });

    /// <summary>The knowledge base shipped with the library.</summary>
    public static KnowledgeBase Science => _science.Value;

    public static KnowledgeBase Parse(string text, string name)
    {
        var kb = new KnowledgeBase();
        int line = 0;
        foreach (var raw in text.Split('\n'))
        {
            line++;
            var l = raw.Trim();
            if (l.Length == 0 || l.StartsWith('#')) continue;
            int colon = l.IndexOf(':');
            if (colon < 0) throw new InvalidDataException($"{name}:{line}: expected 'kind: fields'");
            string kind = l[..colon];
            var f = l[(colon + 1)..].Split(kind is "mass" or "plural" ? ',' : '|', StringSplitOptions.TrimEntries);
            void Need(int n)
            {
                if (f.Length != n || f.Any(x => x.Length == 0))
                    throw new InvalidDataException($"{name}:{line}: '{kind}' needs {n} non-empty fields");
            }
            switch (kind)
            {
                case "mass": foreach (var m in f) kb.MassNouns.Add(m); continue;
                case "plural": foreach (var m in f) kb.PluralEvents.Add(m); continue;
                case "kind":
                    Need(2); Add(kb._parents, f[0], f[1]); Add(kb._children, f[1], f[0]); kb.Node(f[0]);
                    kb.Node(f[1]); break;
                case "prop": Need(2); Add(kb._props, f[0], f[1]); kb.Node(f[0]); break;
                case "def": Need(2); Add(kb._defs, f[0], f[1]); break;
                case "frame":
                    Need(2);
                    if (!f[1].Contains("{x}"))
                        throw new InvalidDataException($"{name}:{line}: a frame needs the slot {{x}}");
                    kb.Frames.Add(new Frame(f[0], f[1])); break;
                case "cond": Need(3); kb.Conditionals.Add(new Conditional(f[0], f[1], f[2])); break;
                case "cause":
                    Need(2); Add(kb._effects, f[0], f[1]);
                    foreach (var e in f) if (!kb.Events.Contains(e)) kb.Events.Add(e);
                    break;
                default: throw new InvalidDataException($"{name}:{line}: unknown fact kind '{kind}'");
            }
            kb.FactCount++;
        }
        foreach (var c in kb.Frames.Select(x => x.Class).Concat(kb.Conditionals.Select(x => x.Class)))
            if (!kb.Nodes.Contains(c))
                throw new InvalidDataException($"{name}: class '{c}' of a frame or conditional is not in the taxonomy");
        return kb;
    }

    private void Node(string n) { if (!Nodes.Contains(n)) Nodes.Add(n); }

    private static void Add(Dictionary<string, List<string>> d, string key, string value)
    {
        if (!d.TryGetValue(key, out var list)) d[key] = list = new List<string>();
        if (!list.Contains(value)) list.Add(value);
    }

    private static IReadOnlyList<string> Get(Dictionary<string, List<string>> d, string key) =>
        d.TryGetValue(key, out var l) ? l : Array.Empty<string>();

    public IReadOnlyList<string> Parents(string node) => Get(_parents, node);
    public IReadOnlyList<string> Children(string node) => Get(_children, node);
    public IReadOnlyList<string> OwnProperties(string node) => Get(_props, node);
    public IReadOnlyList<string> Definitions(string property) => Get(_defs, property);
    public IReadOnlyList<string> Effects(string ev) => Get(_effects, ev);

    /// <summary>All ancestors, nearest first (breadth-first over the parent links).</summary>
    public List<string> Ancestors(string node) => Closure(node, Parents);

    public List<string> Descendants(string node) => Closure(node, Children);

    public bool IsLeaf(string node) => Children(node).Count == 0;

    /// <summary>The node's own properties and those of all its ancestors.</summary>
    public List<string> InheritedProperties(string node) =>
        new[] { node }.Concat(Ancestors(node)).SelectMany(OwnProperties).Distinct().ToList();

    /// <summary>
    /// Events reachable in one or two cause links: what the knowledge base supports saying "A causes B" about.
    /// </summary>
    public List<string> EffectsWithinTwo(string ev) =>
        Effects(ev).Concat(Effects(ev).SelectMany(Effects)).Where(e => e != ev).Distinct().ToList();

    private static List<string> Closure(string start, Func<string, IReadOnlyList<string>> next)
    {
        var seen = new List<string>();
        var queue = new Queue<string>(next(start));
        while (queue.Count > 0)
        {
            var n = queue.Dequeue();
            if (seen.Contains(n) || n == start) continue;
            seen.Add(n);
            foreach (var m in next(n)) queue.Enqueue(m);
        }
        return seen;
    }
}

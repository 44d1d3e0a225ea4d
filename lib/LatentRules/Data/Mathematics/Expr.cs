namespace LatentRules.Data.Mathematics;

/// <summary>The node kinds of the expression engine.</summary>
public enum ExprKind { Number, Symbol, Constant, Add, Mul, Pow, Function, Integral }

/// <summary>
/// An immutable symbolic expression in canonical form. Build expressions only through the static constructors
/// in Expr.Canonical.cs (<c>Expr.Add</c>, <c>Expr.Mul</c>, <c>Expr.Num</c>, ...) or the operators below: they
/// evaluate the way SymPy's core does (flattening, collecting like terms and powers of one base, numeric
/// folding, sorting by SymPy's sort key), so two expressions built from equal pieces are structurally equal
/// and print equally.
/// </summary>
public abstract partial class Expr : IEquatable<Expr>
{
    private int _hash;
    private SortKey? _sortKey;
    private IReadOnlySet<string>? _free;

    public abstract ExprKind Kind { get; }

    /// <summary>The children (terms, factors, base and exponent, function arguments, integrand and variable).</summary>
    public abstract IReadOnlyList<Expr> Args { get; }

    /// <summary>SymPy's <c>sort_key()</c> of this expression (used for canonical order and printing).</summary>
    public SortKey SortKey => _sortKey ??= SortKeys.Of(this);

    /// <summary>
    /// The names of the symbols that occur (an indefinite integral's variable counts: the result depends on it).
    /// </summary>
    public IReadOnlySet<string> FreeSymbols => _free ??= ComputeFree();

    /// <summary>True when no symbol occurs: a number such as 2, \pi or \log{(3)}.</summary>
    public bool IsConstantNumber => FreeSymbols.Count == 0;

    public bool Contains(string symbol) => FreeSymbols.Contains(symbol);

    /// <summary>True when <paramref name="predicate"/> holds for this node or any node below it.</summary>
    public bool Any(Func<Expr, bool> predicate) => predicate(this) || Args.Any(a => a.Any(predicate));

    /// <summary>Every node, this one first (pre-order).</summary>
    public IEnumerable<Expr> Nodes()
    {
        yield return this;
        foreach (var a in Args)
            foreach (var n in a.Nodes()) yield return n;
    }

    /// <summary>Number of nodes (a size measure for generators).</summary>
    public int Size => 1 + Args.Sum(a => a.Size);

    private IReadOnlySet<string> ComputeFree()
    {
        if (this is Sym s) return new HashSet<string> { s.Name };
        var set = new HashSet<string>(StringComparer.Ordinal);
        // an indefinite integral's variable stays free, as in SymPy
        foreach (var a in Args) set.UnionWith(a.FreeSymbols);
        return set;
    }

    protected abstract bool SameNode(Expr other);
    protected abstract int NodeHash();

    public bool Equals(Expr? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other.Kind != Kind || other.GetHashCode() != GetHashCode() || !SameNode(other))
            return false;
        var a = Args; var b = other.Args;
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++) if (!a[i].Equals(b[i])) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is Expr e && Equals(e);

    public override int GetHashCode()
    {
        if (_hash != 0) return _hash;
        var h = new HashCode();
        h.Add(Kind);
        h.Add(NodeHash());
        foreach (var a in Args) h.Add(a.GetHashCode());
        int v = h.ToHashCode();
        _hash = v == 0 ? 1 : v;
        return _hash;
    }

    /// <summary>LaTeX in the style of the published data.</summary>
    public override string ToString() => LatexPrinter.Print(this);

    public static Expr operator +(Expr a, Expr b) => Expr.Add(a, b);
    public static Expr operator -(Expr a, Expr b) => Expr.Sub(a, b);
    public static Expr operator *(Expr a, Expr b) => Expr.Mul(a, b);
    public static Expr operator /(Expr a, Expr b) => Expr.Div(a, b);
    public static Expr operator -(Expr a) => Expr.Neg(a);
    public static implicit operator Expr(int n) => Expr.Num(n);
}

/// <summary>An exact rational constant.</summary>
public sealed class Num : Expr
{
    internal Num(BigRational value) => Value = value;
    public BigRational Value { get; }
    public override ExprKind Kind => ExprKind.Number;
    public override IReadOnlyList<Expr> Args => Array.Empty<Expr>();
    protected override bool SameNode(Expr other) => ((Num)other).Value == Value;
    protected override int NodeHash() => Value.GetHashCode();
}

/// <summary>A variable (a single letter in the published data; Greek names print as \alpha ...).</summary>
public sealed class Sym : Expr
{
    internal Sym(string name) => Name = name;
    public string Name { get; }
    public override ExprKind Kind => ExprKind.Symbol;
    public override IReadOnlyList<Expr> Args => Array.Empty<Expr>();
    protected override bool SameNode(Expr other) => ((Sym)other).Name == Name;
    protected override int NodeHash() => StringComparer.Ordinal.GetHashCode(Name);
}

/// <summary>The named constants: \pi, Euler's e and the imaginary unit i.</summary>
public enum ConstantKind { Pi, E, I }

public sealed class Const : Expr
{
    internal Const(ConstantKind which) => Which = which;
    public ConstantKind Which { get; }
    public override ExprKind Kind => ExprKind.Constant;
    public override IReadOnlyList<Expr> Args => Array.Empty<Expr>();
    protected override bool SameNode(Expr other) => ((Const)other).Which == Which;
    protected override int NodeHash() => (int)Which;
}

/// <summary>A sum of two or more terms (at most one number), in sort-key order.</summary>
public sealed class Add : Expr
{
    private readonly Expr[] _terms;
    internal Add(Expr[] terms) => _terms = terms;
    public IReadOnlyList<Expr> Terms => _terms;
    public override ExprKind Kind => ExprKind.Add;
    public override IReadOnlyList<Expr> Args => _terms;
    protected override bool SameNode(Expr other) => true;
    protected override int NodeHash() => 0;
}

/// <summary>
/// A product of two or more factors: an optional rational coefficient first, then distinct bases in sort-key order.
/// </summary>
public sealed class Mul : Expr
{
    private readonly Expr[] _factors;
    internal Mul(Expr[] factors) => _factors = factors;
    public IReadOnlyList<Expr> Factors => _factors;
    public override ExprKind Kind => ExprKind.Mul;
    public override IReadOnlyList<Expr> Args => _factors;
    protected override bool SameNode(Expr other) => true;
    protected override int NodeHash() => 0;

    /// <summary>The rational coefficient (1 when there is none).</summary>
    public BigRational Coefficient => _factors[0] is Num n ? n.Value : BigRational.One;

    /// <summary>The factors without the coefficient.</summary>
    public IEnumerable<Expr> NonNumeric => _factors[0] is Num ? _factors.Skip(1) : _factors;
}

/// <summary>base^exponent.</summary>
public sealed class Pow : Expr
{
    internal Pow(Expr @base, Expr exponent) { Base = @base; Exponent = exponent; }
    public Expr Base { get; }
    public Expr Exponent { get; }
    public override ExprKind Kind => ExprKind.Pow;
    public override IReadOnlyList<Expr> Args => new[] { Base, Exponent };
    protected override bool SameNode(Expr other) => true;
    protected override int NodeHash() => 0;
}

/// <summary>
/// A function application. Names: exp, log, sin, cos (elementary), Si, Ci, Ei (integral sine, cosine,
/// exponential), gamma, lowergamma, uppergamma (incomplete gamma functions), exp_polar (SymPy's
/// unevaluated polar exponential) and hyper (generalised hypergeometric pFq: its first
/// <see cref="HyperP"/> arguments are a_1..a_p, then b_1..b_q, then the argument z).
/// </summary>
public sealed class Fn : Expr
{
    private readonly Expr[] _args;
    internal Fn(string name, Expr[] args, int hyperP = 0) { Name = name; _args = args; HyperP = hyperP; }
    public string Name { get; }
    public int HyperP { get; }
    public override ExprKind Kind => ExprKind.Function;
    public override IReadOnlyList<Expr> Args => _args;
    public Expr Arg => _args[^1];
    protected override bool SameNode(Expr other) => ((Fn)other).Name == Name && ((Fn)other).HyperP == HyperP;
    protected override int NodeHash() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), HyperP);
}

/// <summary>An unevaluated indefinite integral \int f dx (SymPy returns one when it finds no antiderivative).</summary>
public sealed class Integral : Expr
{
    internal Integral(Expr integrand, Sym variable) { Integrand = integrand; Variable = variable; }
    public Expr Integrand { get; }
    public Sym Variable { get; }
    public override ExprKind Kind => ExprKind.Integral;
    public override IReadOnlyList<Expr> Args => new Expr[] { Integrand, Variable };
    protected override bool SameNode(Expr other) => true;
    protected override int NodeHash() => 0;
}

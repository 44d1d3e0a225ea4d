using System.Globalization;
using System.Numerics;
using System.Text;

namespace LatentRules.Data.Mathematics;

/// <summary>A LaTeX string that the parser does not accept; the message names the column and what was found.</summary>
public sealed class LatexParseException(string message) : FormatException(message);

/// <summary>
/// Parses the LaTeX subset that <see cref="LatexPrinter"/> writes (and that SymPy wrote for the published
/// data): single-letter variables (and \alpha-style Greek names), integers, e, i, \pi, + and -, implicit
/// multiplication and \cdot, \frac, ^{...}, \sqrt, \log{(x)}, \sin{(x)}, \sin^{n}{(x)}, \cos, e^{x},
/// \operatorname{Si|Ci|Ei}, \Gamma(x), \Gamma(s, x), \gamma(s, x), {}_{p}F_{q}(\begin{matrix}..\end{matrix}\middle|
/// {z}), \int f dx, with ( ) and \left( \right) as brackets. Letters that touch (<c>CH</c>) are separate variables,
/// as in SymPy's printing of single-letter symbols; d followed directly by a letter ends an integral.
/// Results are canonical expressions (built through <see cref="Expr"/>).
/// </summary>
public static class LatexParser
{
    public static Expr Parse(string latex)
    {
        var parser = new Parser(latex, Tokenize(latex));
        var e = parser.ParseSum();
        parser.ExpectEnd();
        return e;
    }

    /// <summary>Parses, or returns null with the reason.</summary>
    public static Expr? TryParse(string latex, out string? error)
    {
        try
        {
            error = null;
            return Parse(latex);
        }
        catch (Exception e) when (e is FormatException or ArithmeticException or ArgumentException
            or NotSupportedException)
        {
            error = e.Message;
            return null;
        }
    }

    private enum T { Number, Letter, Command, Symbol, RowSep, End }

    private readonly record struct Token(T Type, string Text, int Column, bool SpaceBefore);

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        int i = 0;
        bool space = false;
        while (i < s.Length)
        {
            char ch = s[i];
            if (char.IsWhiteSpace(ch)) { space = true; i++; continue; }
            int start = i;
            if (char.IsAsciiDigit(ch))
            {
                while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
                tokens.Add(new Token(T.Number, s[start..i], start, space));
            }
            else if (char.IsAsciiLetter(ch))
            {
                tokens.Add(new Token(T.Letter, ch.ToString(), start, space));
                i++;
            }
            else if (ch == '\\')
            {
                i++;
                if (i >= s.Length) throw new LatexParseException($"a lone backslash at the end of '{s}'");
                if (s[i] == '\\' || s[i] == ' ')
                {
                    tokens.Add(new Token(T.RowSep, "\\\\", start, space));
                    i++;
                }
                else if (char.IsAsciiLetter(s[i]))
                {
                    while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
                    string name = s[(start + 1)..i];
                    if (name is "operatorname" or "begin" or "end" or "mathrm" or "text")
                    {
                        // the name in braces belongs to the command: \operatorname{Ci}, \begin{matrix}
                        int open = i;
                        while (open < s.Length && s[open] == ' ') open++;
                        int close = open < s.Length && s[open] == '{' ? s.IndexOf('}', open) : -1;
                        if (close < 0)
                            throw new LatexParseException($"\\{name} needs {{name}} at column {start} of '{s}'");
                        name += ":" + s[(open + 1)..close].Trim();
                        i = close + 1;
                    }
                    if (name is "," or "!" or ";") { continue; }
                    tokens.Add(new Token(T.Command, name, start, space));
                }
                else if (s[i] is ',' or '!' or ';' or ':') { i++; }                 // thin spaces
                else throw new LatexParseException($"unknown command '\\{s[i]}' at column {start} of '{s}'");
            }
            else if ("{}()[]^_+-,|".IndexOf(ch) >= 0)
            {
                tokens.Add(new Token(T.Symbol, ch.ToString(), start, space));
                i++;
            }
            else throw new LatexParseException($"unexpected character '{ch}' at column {start} of '{s}'");
            space = false;
        }
        tokens.Add(new Token(T.End, "", s.Length, space));
        return tokens;
    }

    private sealed class Parser(string source, List<Token> tokens)
    {
        private int _pos;
        private int _integralDepth;

        private Token Peek(int ahead = 0) => tokens[Math.Min(_pos + ahead, tokens.Count - 1)];
        private Token Next() => tokens[_pos++];

        private bool IsSymbol(string text, int ahead = 0) => Peek(ahead).Type == T.Symbol && Peek(ahead).Text == text;
        private bool IsCommand(string name, int ahead = 0) => Peek(ahead).Type == T.Command && Peek(ahead).Text == name;

        private LatexParseException Error(string what)
        {
            var t = Peek();
            string found = t.Type == T.End ? "the end" : $"'{t.Text}'";
            return new LatexParseException($"{what}, found {found} at column {t.Column} of '{source}'");
        }

        private void ExpectSymbol(string text)
        {
            if (!IsSymbol(text)) throw Error($"expected '{text}'");
            _pos++;
        }

        public void ExpectEnd()
        {
            if (Peek().Type != T.End) throw Error("expected the end of the expression");
        }

        // sum := ['-'|'+'] product (('+'|'-') product)*
        public Expr ParseSum()
        {
            var terms = new List<Expr>();
            bool negate = false;
            if (IsSymbol("-")) { _pos++; negate = true; }
            else if (IsSymbol("+")) _pos++;
            var first = ParseProduct();
            terms.Add(negate ? Expr.Neg(first) : first);
            while (IsSymbol("+") || IsSymbol("-"))
            {
                bool minus = Next().Text == "-";
                var t = ParseProduct();
                terms.Add(minus ? Expr.Neg(t) : t);
            }
            return Expr.Add(terms);
        }

        private bool AtDifferential() =>
            _integralDepth > 0 && Peek().Type == T.Letter && Peek().Text == "d"
            && Peek(1).Type == T.Letter && !Peek(1).SpaceBefore;

        private bool StartsFactor()
        {
            var t = Peek();
            if (AtDifferential()) return false;
            return t.Type switch
            {
                T.Number or T.Letter => true,
                T.Command => t.Text is not ("right" or "middle" or "end:matrix")
                    && !t.Text.StartsWith("end:", StringComparison.Ordinal),
                T.Symbol => t.Text is "(" or "{",
                _ => false,
            };
        }

        // product := factor (['\cdot'|'\times'] factor)*
        private Expr ParseProduct()
        {
            var factors = new List<Expr> { ParseFactor() };
            while (true)
            {
                if (IsCommand("cdot") || IsCommand("times")) { _pos++; factors.Add(ParseFactor()); continue; }
                if (!StartsFactor()) break;
                factors.Add(ParseFactor());
            }
            return Expr.Mul(factors);
        }

        // factor := primary ('^' script)*
        private Expr ParseFactor()
        {
            var e = ParsePrimary();
            while (IsSymbol("^"))
            {
                _pos++;
                var exponent = ParseScript();
                e = MakePower(e, exponent);
            }
            return e;
        }

        private static Expr MakePower(Expr b, Expr exponent)
        {
            // e^{i \pi} in SymPy's output is exp_polar(i pi) (an exp would have been evaluated to -1).
            if (b is Const { Which: ConstantKind.E } && exponent is Mul m && m.Factors.Count == 2
                && m.Factors[0] is Const { Which: ConstantKind.I } && m.Factors[1] is Const { Which: ConstantKind.Pi })
                return Expr.Function("exp_polar", exponent);
            return Expr.Pow(b, exponent);
        }

        // script := '{' sum '}' | one digit | one letter | command atom
        private Expr ParseScript()
        {
            if (IsSymbol("{")) return ParseGroup();
            var t = Peek();
            if (t.Type == T.Number)
            {
                // x^23 is x^2 times 3 in LaTeX: a bare script takes one character
                if (t.Text.Length == 1) { _pos++; return Expr.Num(long.Parse(t.Text, CultureInfo.InvariantCulture)); }
                tokens[_pos] = t with { Text = t.Text[1..], Column = t.Column + 1 };
                return Expr.Num(t.Text[0] - '0');
            }
            if (t.Type is T.Letter or T.Command) return ParsePrimary();
            throw Error("expected an exponent");
        }

        private Expr ParseGroup()
        {
            ExpectSymbol("{");
            var e = ParseSum();
            ExpectSymbol("}");
            return e;
        }

        private bool AtOpenParen() => IsSymbol("(") || (IsCommand("left") && IsSymbol("(", 1));

        private Expr ParseParenthesised()
        {
            if (IsCommand("left")) _pos++;
            ExpectSymbol("(");
            var e = ParseSum();
            if (IsCommand("right")) _pos++;
            ExpectSymbol(")");
            return e;
        }

        /// <summary>A comma-separated list inside ( ), for \Gamma(s, x) and \gamma(s, x).</summary>
        private List<Expr> ParseArgumentList()
        {
            if (IsCommand("left")) _pos++;
            ExpectSymbol("(");
            var args = new List<Expr> { ParseSum() };
            while (IsSymbol(",")) { _pos++; args.Add(ParseSum()); }
            if (IsCommand("right")) _pos++;
            ExpectSymbol(")");
            return args;
        }

        private Expr ParsePrimary()
        {
            var t = Peek();
            switch (t.Type)
            {
                case T.Number:
                    _pos++;
                    return Expr.Num(new BigRational(BigInteger.Parse(t.Text, CultureInfo.InvariantCulture)));
                case T.Letter:
                    if (AtDifferential()) throw Error("a differential outside an integral");
                    _pos++;
                    return t.Text switch { "e" => Expr.E, "i" => Expr.I, _ => Expr.Sym(t.Text) };
                case T.Symbol when t.Text == "(":
                    return ParseParenthesised();
                case T.Symbol when t.Text == "{":
                    if (IsSymbol("{", 1) && IsSymbol("}", 2) && IsSymbol("_", 3)) return ParseHyper();
                    return ParseGroup();
                case T.Command:
                    return ParseCommand();
                default:
                    throw Error("expected a variable, number, bracket or command");
            }
        }

        private Expr ParseCommand()
        {
            var t = Next();
            string name = t.Text;
            switch (name)
            {
                case "left":
                    _pos--;
                    return ParseParenthesised();
                case "pi": return Expr.Pi;
                case "frac":
                case "dfrac":
                {
                    var num = ParseGroup();
                    var den = ParseGroup();
                    return Expr.Div(num, den);
                }
                case "sqrt":
                {
                    Expr index = Expr.Two;
                    if (IsSymbol("["))
                    {
                        _pos++;
                        index = ParseSum();
                        ExpectSymbol("]");
                    }
                    var radicand = ParseGroup();
                    return Expr.Pow(radicand, Expr.Div(Expr.One, index));
                }
                case "log" or "ln" or "sin" or "cos" or "exp" or "operatorname:Si" or "operatorname:Ci"
                    or "operatorname:Ei":
                {
                    string fn = name switch
                    {
                        "ln" => "log",
                        _ when name.StartsWith("operatorname:",
                        StringComparison.Ordinal) => name["operatorname:".Length..],
                        _ => name
                    };
                    Expr? power = null;
                    if (IsSymbol("^")) { _pos++; power = ParseScript(); }
                    Expr arg;
                    if (IsSymbol("{") && (IsSymbol("(", 1) || (IsCommand("left", 1) && IsSymbol("(", 2))))
                    {
                        _pos++;
                        arg = ParseParenthesised();
                        ExpectSymbol("}");
                    }
                    else if (AtOpenParen()) arg = ParseParenthesised();
                    else if (IsSymbol("{")) arg = ParseGroup();
                    else throw Error($"expected the argument of \\{fn}");
                    var value = Expr.Function(fn, arg);
                    return power is null ? value : Expr.Pow(value, power);
                }
                case "Gamma":
                case "gamma":
                {
                    Expr? power = null;
                    if (IsSymbol("^")) { _pos++; power = ParseScript(); }
                    if (!AtOpenParen()) throw Error($"expected '(' after \\{name}");
                    var args = ParseArgumentList();
                    Expr value = (name, args.Count) switch
                    {
                        ("Gamma", 1) => Expr.Function("gamma", args[0]),
                        ("Gamma", 2) => Expr.Function("uppergamma", args[0], args[1]),
                        ("gamma", 2) => Expr.Function("lowergamma", args[0], args[1]),
                        _ => throw new LatexParseException($"\\{name} with {args.Count} argument(s) at column " +
                            $"{t.Column} of '{source}'"),
                    };
                    return power is null ? value : Expr.Pow(value, power);
                }
                case "int":
                {
                    _integralDepth++;
                    Expr integrand;
                    try { integrand = ParseProduct(); }
                    finally { _integralDepth--; }
                    if (!(Peek().Type == T.Letter && Peek().Text == "d" && Peek(1).Type == T.Letter))
                        throw Error("expected the differential (dx) of the integral");
                    _pos++;
                    var variable = Next();
                    return Expr.Integral(integrand, Expr.Sym(variable.Text));
                }
                default:
                    if (LatexPrinter.GreekNames.Contains(name)) return Expr.Sym(name);
                    _pos--;
                    throw Error($"unsupported command " +
                        $"'\\{name.Replace("operatorname:", "operatorname{")}" +
                        $"{(name.StartsWith("operatorname:", StringComparison.Ordinal) ? "}" : "")}'");
            }
        }

        // {}_{p}F_{q}(\begin{matrix} a.. \\ b.. \end{matrix}\middle| {z}) inside the outer braces
        private Expr ParseHyper()
        {
            ExpectSymbol("{");
            ExpectSymbol("{");
            ExpectSymbol("}");
            ExpectSymbol("_");
            int p = ParseSmallInteger();
            if (!(Peek().Type == T.Letter && Peek().Text == "F"))
                throw Error("expected F of a hypergeometric function");
            _pos++;
            ExpectSymbol("_");
            int q = ParseSmallInteger();
            if (IsCommand("left")) _pos++;
            ExpectSymbol("(");
            if (!IsCommand("begin:matrix")) throw Error("expected \\begin{matrix}");
            _pos++;
            var ap = ParseRow(p);
            if (Peek().Type != T.RowSep) throw Error("expected the row separator of the parameters");
            _pos++;
            var bq = ParseRow(q);
            if (!IsCommand("end:matrix")) throw Error("expected \\end{matrix}");
            _pos++;
            if (IsCommand("middle")) _pos++;
            ExpectSymbol("|");
            var z = ParseGroup();
            if (IsCommand("right")) _pos++;
            ExpectSymbol(")");
            ExpectSymbol("}");
            return Expr.Hyper(ap, bq, z);
        }

        private int ParseSmallInteger()
        {
            ExpectSymbol("{");
            if (Peek().Type != T.Number) throw Error("expected an integer");
            int n = int.Parse(Next().Text, CultureInfo.InvariantCulture);
            ExpectSymbol("}");
            return n;
        }

        private List<Expr> ParseRow(int count)
        {
            var row = new List<Expr>();
            if (count == 0) return row;
            row.Add(ParseSum());
            while (IsSymbol(",")) { _pos++; row.Add(ParseSum()); }
            if (row.Count != count) throw Error($"expected {count} parameter(s), read {row.Count}");
            return row;
        }
    }
}

using System.Globalization;
using System.Numerics;

namespace LatentRules.Data.Mathematics;

/// <summary>
/// An exact rational number p/q in lowest terms with q &gt; 0 (the constants of the expression engine).
/// </summary>
public readonly struct BigRational : IEquatable<BigRational>, IComparable<BigRational>
{
    public BigInteger Num { get; }
    public BigInteger Den { get; }

    public BigRational(BigInteger num, BigInteger den)
    {
        if (den.IsZero) throw new DivideByZeroException("rational with denominator 0");
        if (den.Sign < 0) { num = -num; den = -den; }
        var g = BigInteger.GreatestCommonDivisor(num, den);
        if (!g.IsOne && !g.IsZero) { num /= g; den /= g; }
        if (num.IsZero) den = BigInteger.One;
        Num = num;
        Den = den.IsZero ? BigInteger.One : den;
    }

    public BigRational(BigInteger integer) : this(integer, BigInteger.One) { }

    public static readonly BigRational Zero = new(0);
    public static readonly BigRational One = new(1);
    public static readonly BigRational MinusOne = new(-1);

    public bool IsInteger => Den.IsOne;
    public bool IsZero => Num.IsZero;
    public bool IsOne => Num.IsOne && Den.IsOne;
    public int Sign => Num.Sign;

    public static BigRational operator +(BigRational a, BigRational b) =>
        new(a.Num * b.Den + b.Num * a.Den, a.Den * b.Den);
    public static BigRational operator -(BigRational a, BigRational b) =>
        new(a.Num * b.Den - b.Num * a.Den, a.Den * b.Den);
    public static BigRational operator *(BigRational a, BigRational b) => new(a.Num * b.Num, a.Den * b.Den);
    public static BigRational operator /(BigRational a, BigRational b) => new(a.Num * b.Den, a.Den * b.Num);
    public static BigRational operator -(BigRational a) => new(-a.Num, a.Den);
    public static implicit operator BigRational(int n) => new(n);
    public static implicit operator BigRational(long n) => new(n);

    public static bool operator ==(BigRational a, BigRational b) => a.Equals(b);
    public static bool operator !=(BigRational a, BigRational b) => !a.Equals(b);
    public static bool operator <(BigRational a, BigRational b) => a.CompareTo(b) < 0;
    public static bool operator >(BigRational a, BigRational b) => a.CompareTo(b) > 0;

    /// <summary>a^n for an integer n (n &lt; 0 inverts; 0^negative throws).</summary>
    public static BigRational Power(BigRational a, int n)
    {
        if (n >= 0) return new(BigInteger.Pow(a.Num, n), BigInteger.Pow(a.Den, n));
        if (a.IsZero) throw new DivideByZeroException("0 raised to a negative power");
        return new(BigInteger.Pow(a.Den, -n), BigInteger.Pow(a.Num, -n));
    }

    /// <summary>The exact q-th root when it exists (a &gt;= 0, or a &lt; 0 with q odd); otherwise null.</summary>
    public static BigRational? ExactRoot(BigRational a, int q)
    {
        if (q == 1) return a;
        if (a.Sign < 0)
        {
            if (q % 2 == 0) return null;
            var r = ExactRoot(-a, q);
            return r is null ? null : -r.Value;
        }
        var n = IntegerRoot(a.Num, q);
        var d = IntegerRoot(a.Den, q);
        return n is null || d is null ? null : new BigRational(n.Value, d.Value);
    }

    private static BigInteger? IntegerRoot(BigInteger x, int q)
    {
        if (x.IsZero || x.IsOne) return x;
        // Newton on doubles gives the candidate; check its neighbours exactly.
        double guess = Math.Round(Math.Exp(BigInteger.Log(x) / q));
        if (double.IsInfinity(guess) || guess > 1e15) return null;   // far beyond what the engine meets
        for (long c = (long)guess - 1; c <= (long)guess + 1; c++)
            if (c >= 0 && BigInteger.Pow(c, q) == x) return c;
        return null;
    }

    public double ToDouble() => (double)Num / (double)Den;

    public bool Equals(BigRational other) => Num == other.Num && Den == other.Den;
    public override bool Equals(object? obj) => obj is BigRational r && Equals(r);
    public override int GetHashCode() => HashCode.Combine(Num, Den);
    public int CompareTo(BigRational other) => (Num * other.Den).CompareTo(other.Num * Den);

    public override string ToString() =>
        IsInteger ? Num.ToString(CultureInfo.InvariantCulture)
                  : Num.ToString(CultureInfo.InvariantCulture) + "/" + Den.ToString(CultureInfo.InvariantCulture);
}

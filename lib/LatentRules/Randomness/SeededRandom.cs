namespace LatentRules.Randomness;

/// <summary>
/// The lab's one pseudo-random generator, for everything that draws: data generators, splits, batches, k-means and
/// t-SNE starts, noise for estimates. The algorithm is fully specified here, so the same seed gives the same
/// numbers on every machine and .NET version, which System.Random does not promise (its seeded algorithm is an
/// implementation detail). Not for cryptography.
/// <list type="bullet">
/// <item>State: xoshiro256** (Blackman and Vigna, 2018), its four words filled by SplitMix64 from a 64-bit seed.</item>
/// <item>Streams: <c>new SeededRandom(seed, "math/differentiation")</c> mixes the stream name (FNV-1a, a string hash
///   stable across processes) into the seed, so each purpose draws its own sequence and adding draws to one
///   purpose never shifts another's.</item>
/// <item>Integers are unbiased (rejection of the short top range); doubles carry 53 random bits.</item>
/// </list>
/// <code>
/// var rng = new SeededRandom(seed: 7, stream: "math/train");
/// int k = rng.Next(10); double u = rng.NextDouble(); var item = rng.Choice(list); rng.Shuffle(array);
/// </code>
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>The generator for a 64-bit seed (the raw form; prefer a named stream).</summary>
    public SeededRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The generator for a signed seed (its two's-complement bits: -1 is 0xFFFF_FFFF_FFFF_FFFF).</summary>
    public SeededRandom(long seed) : this(unchecked((ulong)seed)) { }

    /// <summary>
    /// A generator for one named purpose: different stream names give unrelated sequences for one seed. The
    /// SplitMix64 seed is <c>seed ^ (Fnv1a(stream) * 0x9E3779B97F4A7C15)</c>.
    /// </summary>
    public SeededRandom(long seed, string stream)
        : this(unchecked((ulong)seed) ^ Fnv1a(stream) * 0x9E3779B97F4A7C15UL) { }

    /// <summary>
    /// A generator in a given xoshiro256** state (for checking the algorithm against its published test vector).
    /// </summary>
    internal static SeededRandom FromState(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        if ((s0 | s1 | s2 | s3) == 0) throw new ArgumentException("the xoshiro256** state must not be all zero");
        var r = new SeededRandom(0UL);
        (r._s0, r._s1, r._s2, r._s3) = (s0, s1, s2, s3);
        return r;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// FNV-1a over the UTF-16 code units: a string hash that is stable across processes (string.GetHashCode is not).
    /// </summary>
    public static ulong Fnv1a(string s)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in s) { h ^= c; h *= 1099511628211UL; }
        return h;
    }

    private static ulong Rotl(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>The next 64 random bits (xoshiro256**).</summary>
    public ulong NextUInt64()
    {
        ulong result = Rotl(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = Rotl(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, maxExclusive), without modulo bias.</summary>
    public int Next(int maxExclusive)
    {
        if (maxExclusive <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "must be positive");
        ulong bound = (ulong)maxExclusive;
        ulong threshold = (0UL - bound) % bound;   // reject the short top range
        while (true)
        {
            ulong r = NextUInt64();
            if (r >= threshold) return (int)(r % bound);
        }
    }

    /// <summary>Uniform in [minInclusive, maxExclusive).</summary>
    public int Next(int minInclusive, int maxExclusive)
    {
        if (maxExclusive <= minInclusive)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive,
                $"must exceed the minimum {minInclusive}");
        return minInclusive + Next(maxExclusive - minInclusive);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool NextBool(double p = 0.5) => NextDouble() < p;

    /// <summary>
    /// A standard normal draw (Box-Muller from two uniforms; the second normal of the pair is not kept).
    /// </summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();   // u1 in (0, 1]: the log is finite
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>One item, uniformly.</summary>
    public T Choice<T>(IReadOnlyList<T> items)
    {
        if (items.Count == 0) throw new ArgumentException("cannot choose from an empty list", nameof(items));
        return items[Next(items.Count)];
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// <paramref name="count"/> distinct items in random order (a partial Fisher-Yates shuffle of a copy).
    /// </summary>
    public List<T> Sample<T>(IReadOnlyList<T> items, int count)
    {
        if (count < 0 || count > items.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"cannot draw {count} distinct items from {items.Count}");
        var copy = items.ToList();
        for (int i = 0; i < count; i++)
        {
            int j = i + Next(copy.Count - i);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy.GetRange(0, count);
    }
}

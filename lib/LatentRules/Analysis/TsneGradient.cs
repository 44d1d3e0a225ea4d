using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LatentRules.Analysis;

/// <summary>
/// t-SNE's objective KL(P || Q) and its gradient, as scikit-learn's <c>_kl_divergence</c> (exact) and
/// <c>_kl_divergence_bh</c> (Barnes-Hut) define them. With w_ij = (1 + |y_i - y_j|^2 / dof)^(-(dof + 1) / 2),
/// Z = sum over i != j of w_ij and q_ij = w_ij / Z:
///   grad_i = 2 (dof + 1) / dof * sum_j (p_ij - q_ij) w_ij (y_i - y_j)
///          = c * [ sum_j p_ij w_ij (y_i - y_j)  -  (1 / Z) sum_j w_ij^2 (y_i - y_j) ].
/// The first (attractive) sum runs over the stored pairs of P plus the floor times the sum over all pairs; the
/// second (repulsive) sum and Z run over all pairs (exact) or over Barnes-Hut cells. q_ij is not floored at machine
/// epsilon in the gradient (scikit-learn floors it; that changes no gradient entry by more than 1e-16 of its scale);
/// the KL divergence uses scikit-learn's floors. With more than one degree of freedom this "gradient" is scikit-learn's
/// update rule, not the derivative of the KL divergence (that would weight each pair by (1 + d^2 / dof)^-1 rather
/// than by w_ij); the two agree for two components, the default.
/// </summary>
internal sealed class TsneGradient : ITsneObjective
{
    private const double Float32Tiny = 1.1754943508222875e-38;      // scikit-learn's FLOAT32_TINY (Barnes-Hut KL)

    private readonly JointProbabilities _p;
    private readonly int _n, _c;
    private readonly double _dof;
    private readonly double _angle;                    // Barnes-Hut opening angle; NaN for the exact method
    private readonly double[][] _y;                   // the embedding by component: _y[k][i]
    private readonly double[] _zRow, _repulsive, _all, _attractive;

    public TsneGradient(JointProbabilities p, int components, double degreesOfFreedom, double angle = double.NaN)
    {
        _p = p; _n = p.Count; _c = components; _dof = degreesOfFreedom; _angle = angle;
        _y = Enumerable.Range(0, _c).Select(_ => new double[_n]).ToArray();
        _zRow = new double[_n];
        _repulsive = new double[_n * _c];
        _all = new double[_n * _c];
        _attractive = new double[_n * _c];
    }

    public bool BarnesHut => !double.IsNaN(_angle);

    private double _exaggeration = 1;

    /// <summary>
    /// Scales P in place (undoing the previous factor by division, as scikit-learn's <c>P /= exaggeration</c>).
    /// </summary>
    public void SetExaggeration(double factor)
    {
        if (factor == _exaggeration) return;
        if (_exaggeration != 1) _p.Divide(_exaggeration);
        if (factor != 1) _p.Multiply(factor);
        _exaggeration = factor;
    }

    /// <summary>
    /// Writes the gradient at <paramref name="embedding"/> (row-major [n, components]) into <paramref name="gradient"/>
    /// and returns the KL divergence, or NaN when <paramref name="computeError"/> is false.
    /// </summary>
    public double Evaluate(double[] embedding, double[] gradient, bool computeError)
    {
        int n = _n, c = _c;
        for (int i = 0; i < n; i++) for (int k = 0; k < c; k++) _y[k][i] = embedding[i * c + k];

        if (BarnesHut) BarnesHutTree.Build(_y, n).Repulsion(_y, _dof, _angle, _zRow, _repulsive);
        else ExactRepulsion(withAll: _p.Floor != 0);
        double z = 0;
        foreach (double v in _zRow) z += v;
        if (BarnesHut) z = Math.Max(z, ClusterScores.MachineEpsilon);
        Attraction();

        double factor = 2.0 * (_dof + 1.0) / _dof, floor = _p.Floor;
        for (int m = 0; m < n * c; m++)
            gradient[m] = factor * (_attractive[m] + (floor != 0 ? floor * _all[m] : 0) - _repulsive[m] / z);
        return computeError ? KlDivergence(z) : double.NaN;
    }

    /// <summary>w as a function of the squared distance: (1 + d2 / dof)^(-(dof + 1) / 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Kernel(double d2, double dof)
    {
        if (dof == 1) return 1.0 / (1.0 + d2);
        double u = 1.0 / (1.0 + d2 / dof), w = u;
        for (int t = 2; t <= (int)((dof + 1) / 2); t++) w *= u;
        return (int)dof % 2 == 0 ? w * Math.Sqrt(u) : w;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> Kernel(Vector<double> d2, double dof)
    {
        if (dof == 1) return Vector<double>.One / (Vector<double>.One + d2);
        // (dof + 1) / 2 is a whole or a half power of u = 1 / (1 + d2 / dof).
        var u = Vector<double>.One / (Vector<double>.One + d2 / new Vector<double>(dof));
        var w = u;
        for (int t = 2; t <= (int)((dof + 1) / 2); t++) w *= u;
        if ((int)dof % 2 == 0) w *= Vector.SquareRoot(u);
        return w;
    }

    /// <summary>
    /// Per point: Z_i = sum_j w_ij, repulsive_i = sum_j w_ij^2 (y_i - y_j) and (when the floor is not 0)
    /// all_i = sum_j w_ij (y_i - y_j), over every j != i; rows in parallel, SIMD over j.
    /// </summary>
    private void ExactRepulsion(bool withAll)
    {
        if (_c == 2 && _dof == 1) { ExactRepulsion2D(withAll); return; }
        int n = _n, c = _c, width = Vector<double>.Count;
        double dof = _dof;
        var y = _y;
        Parallel.For(0, (n + 63) / 64, chunk =>
        {
            Span<double> yi = stackalloc double[c];
            Span<Vector<double>> dy = stackalloc Vector<double>[c];
            Span<Vector<double>> rep = stackalloc Vector<double>[c];
            Span<Vector<double>> all = stackalloc Vector<double>[c];
            Span<double> repTail = stackalloc double[c];
            Span<double> allTail = stackalloc double[c];
            for (int i = chunk * 64; i < Math.Min(n, chunk * 64 + 64); i++)
            {
                for (int k = 0; k < c; k++)
                {
                    yi[k] = y[k][i];
                    rep[k] = Vector<double>.Zero;
                    all[k] = Vector<double>.Zero;
                }
                var zSum = Vector<double>.Zero;
                int j = 0;
                for (; j <= n - width; j += width)
                {
                    var d2 = Vector<double>.Zero;
                    for (int k = 0; k < c; k++)
                    {
                        dy[k] = new Vector<double>(yi[k]) - new Vector<double>(y[k], j);
                        d2 += dy[k] * dy[k];
                    }
                    var w = Kernel(d2, dof);
                    zSum += w;
                    var ww = w * w;
                    for (int k = 0; k < c; k++) rep[k] += ww * dy[k];
                    if (withAll) for (int k = 0; k < c; k++) all[k] += w * dy[k];
                }
                double zi = Vector.Sum(zSum);
                for (int k = 0; k < c; k++) { repTail[k] = Vector.Sum(rep[k]); allTail[k] = Vector.Sum(all[k]); }
                for (; j < n; j++)
                {
                    double d2 = 0;
                    for (int k = 0; k < c; k++) { double t = yi[k] - y[k][j]; d2 += t * t; }
                    double w = Kernel(d2, dof);
                    zi += w;
                    for (int k = 0; k < c; k++)
                    {
                        double t = yi[k] - y[k][j];
                        repTail[k] += w * w * t;
                        allTail[k] += w * t;
                    }
                }
                _zRow[i] = zi - 1.0;                      // the j = i term: w = 1, y_i - y_i = 0
                for (int k = 0; k < c; k++) { _repulsive[i * c + k] = repTail[k]; _all[i * c + k] = allTail[k]; }
            }
        });
    }

    /// <summary>
    /// <see cref="ExactRepulsion"/> for two components (one degree of freedom), the common case, in registers.
    /// </summary>
    private void ExactRepulsion2D(bool withAll)
    {
        int n = _n, width = Vector<double>.Count;
        double[] y0 = _y[0], y1 = _y[1];
        Parallel.For(0, (n + 63) / 64, chunk =>
        {
            ref double r0 = ref MemoryMarshal.GetArrayDataReference(y0);
            ref double r1 = ref MemoryMarshal.GetArrayDataReference(y1);
            var one = Vector<double>.One;
            for (int i = chunk * 64; i < Math.Min(n, chunk * 64 + 64); i++)
            {
                var a0 = new Vector<double>(y0[i]);
                var a1 = new Vector<double>(y1[i]);
                Vector<double> zSum = default, rep0 = default, rep1 = default, all0 = default, all1 = default;
                int j = 0;
                for (; j <= n - width; j += width)
                {
                    var d0 = a0 - Vector.LoadUnsafe(ref r0, (nuint)j);
                    var d1 = a1 - Vector.LoadUnsafe(ref r1, (nuint)j);
                    var w = one / (one + d0 * d0 + d1 * d1);
                    zSum += w;
                    var ww = w * w;
                    rep0 += ww * d0;
                    rep1 += ww * d1;
                    if (withAll) { all0 += w * d0; all1 += w * d1; }
                }
                double zi = Vector.Sum(zSum), s0 = Vector.Sum(rep0), s1 = Vector.Sum(rep1), t0 = Vector.Sum(all0),
                    t1 = Vector.Sum(all1);
                for (; j < n; j++)
                {
                    double d0 = y0[i] - y0[j], d1 = y1[i] - y1[j];
                    double w = 1.0 / (1.0 + d0 * d0 + d1 * d1);
                    zi += w;
                    s0 += w * w * d0; s1 += w * w * d1;
                    t0 += w * d0; t1 += w * d1;
                }
                _zRow[i] = zi - 1.0;                      // the j = i term: w = 1, y_i - y_i = 0
                _repulsive[2 * i] = s0; _repulsive[2 * i + 1] = s1;
                _all[2 * i] = t0; _all[2 * i + 1] = t1;
            }
        });
    }

    /// <summary>attractive_i = sum over stored j of (p_ij - floor) w_ij (y_i - y_j).</summary>
    private void Attraction()
    {
        int n = _n, c = _c;
        double dof = _dof, floor = _p.Floor;
        var (start, columns, values, y) = (_p.RowStart, _p.Columns, _p.Values, _y);
        Parallel.For(0, (n + 255) / 256, chunk =>
        {
            Span<double> acc = stackalloc double[c];
            for (int i = chunk * 256; i < Math.Min(n, chunk * 256 + 256); i++)
            {
                acc.Clear();
                for (int m = start[i]; m < start[i + 1]; m++)
                {
                    int j = columns[m];
                    double d2 = 0;
                    for (int k = 0; k < c; k++) { double t = y[k][i] - y[k][j]; d2 += t * t; }
                    double pw = (values[m] - floor) * Kernel(d2, dof);
                    for (int k = 0; k < c; k++) acc[k] += pw * (y[k][i] - y[k][j]);
                }
                for (int k = 0; k < c; k++) _attractive[i * c + k] = acc[k];
            }
        });
    }

    /// <summary>
    /// KL(P || Q) = sum over i != j of p_ij log(p_ij / q_ij): exact as scikit-learn (q floored at machine epsilon,
    /// the floor pairs included); Barnes-Hut over the stored pairs with both floored at float32's smallest normal.
    /// </summary>
    private double KlDivergence(double z)
    {
        int n = _n, c = _c;
        double dof = _dof, floor = _p.Floor;
        double qFloor = BarnesHut ? Float32Tiny : ClusterScores.MachineEpsilon;
        var (start, columns, values, y) = (_p.RowStart, _p.Columns, _p.Values, _y);
        var rowKl = new double[n];
        Parallel.For(0, n, i =>
        {
            double s = 0;
            if (floor != 0)
            {
                // Every pair at the floor; the stored pairs' floor terms are swapped for their own below.
                for (int j = 0; j < n; j++)
                {
                    if (j == i) continue;
                    double d2 = 0;
                    for (int k = 0; k < c; k++) { double t = y[k][i] - y[k][j]; d2 += t * t; }
                    s += floor * Math.Log(floor / Math.Max(Kernel(d2, dof) / z, qFloor));
                }
            }
            for (int m = start[i]; m < start[i + 1]; m++)
            {
                int j = columns[m];
                double d2 = 0;
                for (int k = 0; k < c; k++) { double t = y[k][i] - y[k][j]; d2 += t * t; }
                double q = Math.Max(Kernel(d2, dof) / z, qFloor), p = values[m];
                if (p > 0) s += p * Math.Log(Math.Max(p, qFloor) / q);
                if (floor != 0) s -= floor * Math.Log(floor / q);
            }
            rowKl[i] = s;
        });
        double kl = 0;
        foreach (double v in rowKl) kl += v;
        return kl;
    }
}

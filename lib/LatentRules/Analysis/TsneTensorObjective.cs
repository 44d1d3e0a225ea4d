using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Analysis;

/// <summary>
/// The exact t-SNE objective written as engine tensor operations on a chosen device (a GPU, typically): P is a dense
/// [n, n] float64 tensor there, and each evaluation sends the embedding over and the gradient back (n x components
/// numbers). It computes what scikit-learn's <c>_kl_divergence</c> computes, line for line (q floored at machine
/// epsilon in the gradient too). On this 2-core CPU the fused loops of <see cref="TsneGradient"/> are over 100 times
/// faster (about 2-3 ms against 260-450 ms per gradient at N = 2,000, `bench tsne`): each tensor op makes its own pass
/// over the n x n matrices, so the CPU path is the default and this one is chosen with
/// <see cref="TsneOptions.Device"/>.
/// </summary>
internal sealed class TsneTensorObjective : ITsneObjective, IDisposable
{
    private readonly Tensor _p;                 // [n, n] float64, zero diagonal, times the current exaggeration
    private readonly Tensor _offDiagonal;       // [n, n] 1 off the diagonal, 0 on it
    private readonly int _n, _c;
    private readonly double _dof;
    private readonly Device _device;
    private double _exaggeration = 1;

    public TsneTensorObjective(JointProbabilities p, int components, double degreesOfFreedom, Device device)
    {
        _n = p.Count; _c = components; _dof = degreesOfFreedom; _device = device;
        var dense = new double[(long)_n * _n];
        for (int i = 0; i < _n; i++)
        {
            dense.AsSpan(i * _n, _n).Fill(p.Floor);
            dense[(long)i * _n + i] = 0;
            for (int m = p.RowStart[i]; m < p.RowStart[i + 1]; m++) dense[(long)i * _n + p.Columns[m]] = p.Values[m];
        }
        _p = torch.tensor(dense, [_n, _n], device: device);                                         // [n, n]
        using var eye = torch.eye(_n, dtype: ScalarType.Float64, device: device);
        // 1 - I, [n, n] (TorchSharp's `1.0 - eye` leaves its negated temporary undisposed)
        _offDiagonal = eye.neg().add_(1.0);
    }

    /// <summary>
    /// Scales P in place, as <see cref="TsneGradient.SetExaggeration"/> does (divide by the old factor, multiply by the
    /// new).
    /// </summary>
    public void SetExaggeration(double factor)
    {
        if (factor == _exaggeration) return;
        if (_exaggeration != 1) _p.div_(_exaggeration);
        if (factor != 1) _p.mul_(factor);
        _exaggeration = factor;
    }

    public double Evaluate(double[] embedding, double[] gradient, bool computeError)
    {
        using var scope = torch.NewDisposeScope();
        var y = torch.tensor(embedding, [_n, _c], device: _device);                                 // [n, c]
        var norms = y.square().sum(1, keepdim: true);                                      // [n, 1]
        // |y_i - y_j|^2 as |y_i|^2 + |y_j|^2 - 2 y_i.y_j: two passes over [n, n] instead of an [n, n, c] difference
        var squared = (norms + norms.t() - Ops.matmul(y, y.t()) * 2.0).clamp_min(0);            // [n, n]
        var w = (_dof == 1 ? (squared + 1.0).reciprocal() : (squared / _dof + 1.0).pow(-(_dof + 1) / 2)) * _offDiagonal;
        var q = (w / w.sum()).clamp_min(ClusterScores.MachineEpsilon);                     // [n, n]
        var pqw = (_p - q) * w;                                                             // [n, n]
        // grad_i = factor * sum_j pqw_ij (y_i - y_j) = factor * (rowsum_i * y_i - (pqw @ y)_i)
        var g = (pqw.sum(1, keepdim: true) * y - Ops.matmul(pqw, y)) * (2.0 * (_dof + 1.0) / _dof);   // [n, c]
        g.cpu().ToArray<double>().CopyTo(gradient, 0);
        if (!computeError) return double.NaN;
        var kl = (_p * (_p.clamp_min(ClusterScores.MachineEpsilon) / q).log() * _offDiagonal).sum();
        return kl.cpu().ToDouble();
    }

    public void Dispose()
    {
        _p.Dispose();
        _offDiagonal.Dispose();
    }
}

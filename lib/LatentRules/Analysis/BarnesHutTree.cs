namespace LatentRules.Analysis;

/// <summary>
/// The space-partitioning tree of scikit-learn's Barnes-Hut t-SNE (a quadtree in 2-D, an octree in 3-D): cells
/// split into 2^dims children at their centre, leaves hold one point (or several within 1e-6 of each other per
/// axis, counted as duplicates), every cell keeps the barycentre and count of its points. A cell summarises its
/// points for a query point when it is a leaf or when its squared widest side over the squared distance to its
/// barycentre is below angle^2; a leaf within 1e-6 of the query point (the point itself) is skipped.
/// </summary>
internal sealed class BarnesHutTree
{
    private const double DuplicateTolerance = 1e-6;

    private readonly int _dims, _fan;
    private int _count;
    private double[] _barycenter, _center, _min, _max, _squaredWidth;
    private int[] _size, _point, _children;
    private bool[] _internal;

    private BarnesHutTree(int dims, int capacity)
    {
        _dims = dims; _fan = 1 << dims;
        _barycenter = new double[capacity * dims]; _center = new double[capacity * dims];
        _min = new double[capacity * dims]; _max = new double[capacity * dims];
        _squaredWidth = new double[capacity]; _size = new int[capacity]; _point = new int[capacity];
        _children = new int[capacity * _fan]; _internal = new bool[capacity];
    }

    /// <summary>The tree of the n points whose coordinate k is y[k][i], inserted in index order.</summary>
    public static BarnesHutTree Build(double[][] y, int n)
    {
        int dims = y.Length;
        var tree = new BarnesHutTree(dims, Math.Max(16, 2 * n));
        int root = tree.NewCell();
        for (int a = 0; a < dims; a++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int i = 0; i < n; i++) { lo = Math.Min(lo, y[a][i]); hi = Math.Max(hi, y[a][i]); }
            // Stretch the upper bound so every point lies strictly inside (positive, negative and small maxima).
            hi = Math.Max(hi * (1 + 1e-3 * Math.Sign(hi)), hi + 1e-3);
            tree._min[a] = lo; tree._max[a] = hi; tree._center[a] = (lo + hi) / 2;
            tree._squaredWidth[root] = Math.Max(tree._squaredWidth[root], (hi - lo) * (hi - lo));
        }
        Span<double> point = stackalloc double[dims];
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < dims; a++) point[a] = y[a][i];
            tree.Insert(point, i);
        }
        return tree;
    }

    private int NewCell()
    {
        if (_count == _size.Length)
        {
            int capacity = 2 * _count;
            Array.Resize(ref _barycenter, capacity * _dims); Array.Resize(ref _center, capacity * _dims);
            Array.Resize(ref _min, capacity * _dims); Array.Resize(ref _max, capacity * _dims);
            Array.Resize(ref _squaredWidth, capacity); Array.Resize(ref _size, capacity);
            Array.Resize(ref _point, capacity);
            Array.Resize(ref _children, capacity * _fan); Array.Resize(ref _internal, capacity);
        }
        int cell = _count++;
        _children.AsSpan(cell * _fan, _fan).Fill(-1);
        return cell;
    }

    private void Insert(ReadOnlySpan<double> point, int index)
    {
        int cell = 0;
        Span<double> moved = stackalloc double[_dims];
        while (true)
        {
            if (_size[cell] == 0)
            {
                _size[cell] = 1;
                point.CopyTo(_barycenter.AsSpan(cell * _dims, _dims));
                _point[cell] = index;
                return;
            }
            if (_internal[cell])
            {
                int s = _size[cell];
                for (int a = 0; a < _dims; a++)
                    _barycenter[cell * _dims + a] = (s * _barycenter[cell * _dims + a] + point[a]) / (s + 1);
                _size[cell] = s + 1;
                int child = _children[cell * _fan + ChildSlot(point, cell)];
                if (child == -1) { AddChild(point, cell, index, 1); return; }
                cell = child;
                continue;
            }
            bool duplicate = true;
            for (int a = 0; a < _dims; a++)
                duplicate &= Math.Abs(point[a] - _barycenter[cell * _dims + a]) <= DuplicateTolerance;
            if (duplicate) { _size[cell]++; return; }
            // A leaf with another point: move that point down into a child, then insert into the now inner cell.
            _barycenter.AsSpan(cell * _dims, _dims).CopyTo(moved);
            AddChild(moved, cell, _point[cell], _size[cell]);
        }
    }

    private int ChildSlot(ReadOnlySpan<double> point, int cell)
    {
        int slot = 0;
        for (int a = 0; a < _dims; a++) slot = 2 * slot + (point[a] >= _center[cell * _dims + a] ? 1 : 0);
        return slot;
    }

    private void AddChild(ReadOnlySpan<double> point, int parent, int index, int size)
    {
        int child = NewCell();
        _internal[parent] = true;
        _point[parent] = -1;
        int slot = 0;
        for (int a = 0; a < _dims; a++)
        {
            int p = parent * _dims + a, c = child * _dims + a;
            slot *= 2;
            if (point[a] >= _center[p]) { slot++; _min[c] = _center[p]; _max[c] = _max[p]; }
            else { _min[c] = _min[p]; _max[c] = _center[p]; }
            _center[c] = (_min[c] + _max[c]) / 2;
            double width = _max[c] - _min[c];
            _squaredWidth[child] = Math.Max(_squaredWidth[child], width * width);
            _barycenter[c] = point[a];
        }
        _point[child] = index;
        _size[child] = size;
        _children[parent * _fan + slot] = child;
    }

    /// <summary>
    /// For every point i: z[i] = sum over summarising cells of size * w and repulsive[i, k] = sum of
    /// size * w^2 * (y_i - barycentre)_k, w being the t-SNE kernel of the squared distance to the barycentre.
    /// </summary>
    public void Repulsion(double[][] y, double dof, double angle, double[] z, double[] repulsive)
    {
        int n = z.Length, dims = _dims;
        double squaredAngle = angle * angle;
        Parallel.For(0, (n + 127) / 128, chunk =>
        {
            var point = new double[dims];
            var force = new double[dims];
            var delta = new double[dims];
            for (int i = chunk * 128; i < Math.Min(n, chunk * 128 + 128); i++)
            {
                for (int a = 0; a < dims; a++) { point[a] = y[a][i]; force[a] = 0; }
                double zi = 0;
                Visit(0, point, delta, squaredAngle, dof, ref zi, force);
                z[i] = zi;
                for (int a = 0; a < dims; a++) repulsive[i * dims + a] = force[a];
            }
        });
    }

    private void Visit(int cell, double[] point, double[] delta, double squaredAngle, double dof, ref double z,
        double[] force)
    {
        double d2 = 0;
        bool duplicate = true;
        for (int a = 0; a < _dims; a++)
        {
            double t = point[a] - _barycenter[cell * _dims + a];
            delta[a] = t;
            d2 += t * t;
            duplicate &= Math.Abs(t) <= DuplicateTolerance;
        }
        bool leaf = !_internal[cell];
        if (duplicate && leaf) return;                                  // no self-interaction
        if (leaf || _squaredWidth[cell] / d2 < squaredAngle)
        {
            double w = TsneGradient.Kernel(d2, dof), size = _size[cell];
            z += size * w;
            double mult = size * w * w;
            for (int a = 0; a < _dims; a++) force[a] += mult * delta[a];
            return;
        }
        for (int s = 0; s < _fan; s++)
        {
            int child = _children[cell * _fan + s];
            if (child != -1) Visit(child, point, delta, squaredAngle, dof, ref z, force);
        }
    }
}

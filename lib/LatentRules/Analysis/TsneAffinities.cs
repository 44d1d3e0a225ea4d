namespace LatentRules.Analysis;

/// <summary>
/// t-SNE's joint probabilities P as a symmetric sparse matrix (CSR): every pair not stored has the value
/// <see cref="Floor"/>. scikit-learn's exact method floors every p_ij at machine epsilon, so only the pairs above
/// the floor are stored (for clustered data about one pair in k); its neighbour method keeps the pairs among each
/// point's 3 * perplexity nearest neighbours (in either direction) and the rest are 0.
/// </summary>
internal sealed class JointProbabilities
{
    public int Count { get; }
    /// <summary>Row i's pairs are Columns/Values[RowStart[i] .. RowStart[i + 1]), columns increasing.</summary>
    public int[] RowStart { get; }
    public int[] Columns { get; }
    public double[] Values { get; }
    /// <summary>p_ij of every pair (i != j) that is not stored.</summary>
    public double Floor { get; private set; }

    private JointProbabilities(int count, int[] rowStart, int[] columns, double[] values, double floor)
    {
        Count = count; RowStart = rowStart; Columns = columns; Values = values; Floor = floor;
    }

    /// <summary>
    /// Early exaggeration multiplies every p_ij (the floor too), as scikit-learn's <c>P *= early_exaggeration</c>.
    /// </summary>
    public void Multiply(double factor)
    {
        for (int k = 0; k < Values.Length; k++) Values[k] *= factor;
        Floor *= factor;
    }

    public void Divide(double factor)
    {
        for (int k = 0; k < Values.Length; k++) Values[k] /= factor;
        Floor /= factor;
    }

    /// <summary>
    /// scikit-learn's exact P: conditional p_j|i from all other points at the given perplexity, then
    /// p_ij = max((p_j|i + p_i|j) / sum, machine epsilon). Squared distances are kept in double precision
    /// (scikit-learn rounds them to float32 first, which moves p_ij by about 1e-7 relative).
    /// </summary>
    public static JointProbabilities Exact(double[] x, int n, int d, double perplexity)
    {
        var conditional = new double[(long)n * n];                       // row i: p_j|i
        var rowSum = new double[n];
        Distances.ForEachRowBlock(x, n, d, (i0, count, squared) =>
        {
            for (int r = 0; r < count; r++)
            {
                int i = i0 + r;
                var row = conditional.AsSpan(i * n, n);
                ConditionalRow(squared.AsSpan(r * n, n), perplexity, i, row);
                double s = 0;
                foreach (double v in row) s += v;
                rowSum[i] = s;
            }
        });
        double sum = Math.Max(2 * rowSum.Sum(), ClusterScores.MachineEpsilon);   // sum of p_j|i + p_i|j over all i, j
        double floor = ClusterScores.MachineEpsilon;

        // Two passes over the rows: count the pairs above the floor, then fill them in.
        double Joint(int i, int j) => (conditional[(long)i * n + j] + conditional[(long)j * n + i]) / sum;
        var rowStart = new int[n + 1];
        Parallel.For(0, n, i =>
        {
            int c = 0;
            for (int j = 0; j < n; j++) if (j != i && Joint(i, j) > floor) c++;
            rowStart[i + 1] = c;
        });
        for (int i = 0; i < n; i++) rowStart[i + 1] += rowStart[i];
        var columns = new int[rowStart[n]];
        var values = new double[rowStart[n]];
        Parallel.For(0, n, i =>
        {
            int k = rowStart[i];
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double p = Joint(i, j);
                if (p > floor) { columns[k] = j; values[k] = p; k++; }
            }
        });
        return new JointProbabilities(n, rowStart, columns, values, floor);
    }

    /// <summary>
    /// scikit-learn's P for Barnes-Hut: conditional p_j|i over each point's min(n - 1, floor(3 * perplexity + 1))
    /// nearest neighbours (exact search), P = C + C^T normalised to sum 1; every other pair is 0.
    /// </summary>
    public static JointProbabilities NearestNeighbors(double[] x, int n, int d, double perplexity)
    {
        int k = Math.Min(n - 1, (int)(3.0 * perplexity + 1));
        var neighbor = new int[n * k];
        var conditional = new double[n * k];
        Distances.ForEachRowBlock(x, n, d, (i0, count, squared) =>
        {
            var heap = new NearestHeap(k);
            var distances = new double[k];
            for (int r = 0; r < count; r++)
            {
                int i = i0 + r;
                var row = squared.AsSpan(r * n, n);
                heap.Clear();
                for (int j = 0; j < n; j++) if (j != i) heap.Offer(j, row[j]);
                var ids = neighbor.AsSpan(i * k, k);
                heap.CopyIndices(ids);
                ids.Sort();                                                 // scikit-learn sorts the CSR columns
                for (int m = 0; m < k; m++) distances[m] = row[ids[m]];
                ConditionalRow(distances, perplexity, -1, conditional.AsSpan(i * k, k));
            }
        });

        // P = C + C^T: row i holds its own neighbours and every point that has i as a neighbour.
        var rowStart = new int[n + 1];
        for (int i = 0; i < n; i++)
        {
            rowStart[i + 1] += k;
            for (int m = 0; m < k; m++) rowStart[neighbor[i * k + m] + 1]++;
        }
        for (int i = 0; i < n; i++) rowStart[i + 1] += rowStart[i];
        var fill = (int[])rowStart.Clone();
        var rawColumns = new int[rowStart[n]];
        var rawValues = new double[rowStart[n]];
        for (int i = 0; i < n; i++)
            for (int m = 0; m < k; m++)
            {
                int j = neighbor[i * k + m];
                double c = conditional[i * k + m];
                rawColumns[fill[i]] = j; rawValues[fill[i]++] = c;
                rawColumns[fill[j]] = i; rawValues[fill[j]++] = c;
            }

        // Sort each row by column and add up the duplicates (pairs that are neighbours both ways).
        var uniqueCount = new int[n];
        Parallel.For(0, n, i =>
        {
            int a = rowStart[i], b = rowStart[i + 1];
            Array.Sort(rawColumns, rawValues, a, b - a);
            int w = a;
            for (int m = a; m < b; m++)
            {
                if (m > a && rawColumns[m] == rawColumns[w - 1]) rawValues[w - 1] += rawValues[m];
                else { rawColumns[w] = rawColumns[m]; rawValues[w] = rawValues[m]; w++; }
            }
            uniqueCount[i] = w - a;
        });
        var start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + uniqueCount[i];
        var columns = new int[start[n]];
        var values = new double[start[n]];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(rawColumns, rowStart[i], columns, start[i], uniqueCount[i]);
            Array.Copy(rawValues, rowStart[i], values, start[i], uniqueCount[i]);
        }
        double sum = Math.Max(values.Sum(), ClusterScores.MachineEpsilon);
        for (int m = 0; m < values.Length; m++) values[m] /= sum;
        return new JointProbabilities(n, start, columns, values, 0);
    }

    /// <summary>
    /// From a dense symmetric matrix (tests: scikit-learn's P); entries equal to the floor are not stored.
    /// </summary>
    public static JointProbabilities FromDense(double[,] p, double floor)
    {
        int n = p.GetLength(0);
        var rowStart = new int[n + 1];
        var columns = new List<int>();
        var values = new List<double>();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
                if (j != i && p[i, j] != floor) { columns.Add(j); values.Add(p[i, j]); }
            rowStart[i + 1] = columns.Count;
        }
        return new JointProbabilities(n, rowStart, columns.ToArray(), values.ToArray(), floor);
    }

    /// <summary>
    /// scikit-learn's binary search for the precision beta of one conditional Gaussian: p_j = exp(-beta d_j) / sum,
    /// until the entropy log(sum) + beta sum(d_j p_j) is within 1e-5 of log(perplexity) (at most 100 steps).
    /// <paramref name="self"/> is the index left out (the point itself), or -1 when the distances are to neighbours.
    /// </summary>
    internal static void ConditionalRow(ReadOnlySpan<double> squaredDistances, double perplexity, int self,
        Span<double> p)
    {
        const int steps = 100;
        const double tolerance = 1e-5f;                      // a float in scikit-learn
        const double emptySum = 1e-8f;
        double desiredEntropy = Math.Log((float)perplexity);
        double beta = 1, betaMin = double.NegativeInfinity, betaMax = double.PositiveInfinity;
        int m = squaredDistances.Length;
        for (int step = 0; step < steps; step++)
        {
            double sumP = 0;
            for (int j = 0; j < m; j++)
            {
                double v = j == self ? 0 : Math.Exp(-squaredDistances[j] * beta);
                p[j] = v;
                sumP += v;
            }
            if (sumP == 0) sumP = emptySum;
            double sumDistP = 0;
            for (int j = 0; j < m; j++)
            {
                p[j] /= sumP;
                sumDistP += squaredDistances[j] * p[j];
            }
            double entropyDiff = Math.Log(sumP) + beta * sumDistP - desiredEntropy;
            if (Math.Abs(entropyDiff) <= tolerance) break;
            if (entropyDiff > 0)
            {
                betaMin = beta;
                beta = double.IsPositiveInfinity(betaMax) ? beta * 2 : (beta + betaMax) / 2;
            }
            else
            {
                betaMax = beta;
                beta = double.IsNegativeInfinity(betaMin) ? beta / 2 : (beta + betaMin) / 2;
            }
        }
    }

    /// <summary>The k smallest (distance, index) offers, as a max-heap on distance.</summary>
    private sealed class NearestHeap(int capacity)
    {
        private readonly int[] _index = new int[capacity];
        private readonly double[] _distance = new double[capacity];
        private int _count;

        public void Clear() => _count = 0;

        public void Offer(int index, double distance)
        {
            if (_count < capacity)
            {
                int c = _count++;
                while (c > 0)
                {
                    int parent = (c - 1) / 2;
                    if (_distance[parent] >= distance) break;
                    _index[c] = _index[parent]; _distance[c] = _distance[parent];
                    c = parent;
                }
                _index[c] = index; _distance[c] = distance;
                return;
            }
            if (distance >= _distance[0]) return;
            int at = 0;
            while (true)
            {
                int child = 2 * at + 1;
                if (child >= _count) break;
                if (child + 1 < _count && _distance[child + 1] > _distance[child]) child++;
                if (_distance[child] <= distance) break;
                _index[at] = _index[child]; _distance[at] = _distance[child];
                at = child;
            }
            _index[at] = index; _distance[at] = distance;
        }

        public void CopyIndices(Span<int> target) => _index.AsSpan(0, _count).CopyTo(target);
    }
}

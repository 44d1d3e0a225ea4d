using LatentRules.Models.Vae;
using LatentRules.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatentRules.Analysis.ParameterSpace;

/// <summary>Which function of the encoder the tangent kernel differentiates.</summary>
public enum KernelOutput
{
    /// <summary>
    /// The rule classifier's logit of the example's OWN rule (needs a supervised VAE). Biased for comparing rules:
    /// examples of different rules are differentiated through different classifier rows, so across-rule similarity
    /// mostly measures how unlike those rows are (an untrained encoder already shows a large gap). Kept to compare with
    /// the earlier runs.
    /// </summary>
    RuleLogit,
    /// <summary>
    /// The sum of the posterior mean's components, sum_k mu_k(x): one scalar function for every example.
    /// </summary>
    MeanOfZ,
    /// <summary>
    /// The example's token loss with z = its posterior mean (depends on encoder and decoder: use for decoder groups).
    /// </summary>
    Reconstruction,
    /// <summary>
    /// The sum of all rule logits (needs a supervised VAE): the classifier's output, one scalar function for every
    /// example.
    /// </summary>
    RuleLogitSum,
    /// <summary>
    /// The whole Jacobian of mu (latent vector) with respect to the group: Theta(a, b) = sum_k &lt;d mu_k(a)/d theta, d
    /// mu_k(b)/d theta&gt;, the trace of the matrix-valued NTK. The same function for every example and no direction of
    /// z favoured.
    /// </summary>
    MeanJacobian,
}

/// <summary>
/// The empirical neural tangent kernel of one parameter group over a sample: Theta(a, b) = &lt;g(a), g(b)&gt; with g(x)
/// the gradient (or, for <see cref="KernelOutput.MeanJacobian"/>, the flattened Jacobian) of the encoder output with
/// respect to the group's parameters. Computed in eval mode (no dropout). The Gram matrix is accumulated one output
/// component and one block of parameter columns at a time (<see cref="ComputeGroups"/>), so memory stays bounded
/// whatever the latent and model size; per-example gradient rows are kept only for scalar outputs whose parameters fit
/// in one block.
/// </summary>
public sealed class TangentKernel : IDisposable
{
    private readonly double[,] _theta;

    private TangentKernel(double[,] theta, int[] labels, long parameters, Tensor? gradients)
    {
        _theta = theta; Labels = labels; Parameters = parameters; Gradients = gradients;
    }

    /// <summary>
    /// [N, parameters in the group] per-example gradients of a scalar output; null for MeanJacobian (never
    /// materialised).
    /// </summary>
    public Tensor? Gradients { get; }

    /// <summary>Rule label of each row.</summary>
    public int[] Labels { get; }

    /// <summary>Parameters in the group.</summary>
    public long Parameters { get; }

    /// <summary>
    /// A kernel over given gradient rows [N, P] (taken over; disposed with the kernel) and their rule labels.
    /// </summary>
    public static TangentKernel FromGradients(Tensor gradients, IReadOnlyList<int> labels)
    {
        if (gradients.dim() != 2 || gradients.size(0) != labels.Count)
            throw new ArgumentException($"gradients must be [{labels.Count}, P] for {labels.Count} labels, got " +
                $"[{string.Join(", ", gradients.shape)}]");
        using var scope = NewDisposeScope();
        var g = gradients.to(ScalarType.Float64);                                                 // [N, P]
        return new TangentKernel(ToArray(Ops.matmul(g, g.t())), labels.ToArray(), gradients.size(1), gradients);
    }

    /// <summary>The kernel of one parameter group (see <see cref="ComputeGroups"/>).</summary>
    public static TangentKernel Compute(LanguageVae vae, IReadOnlyList<VaeSequence> examples,
        IReadOnlyList<(string name, Parameter parameter)> group, KernelOutput output = KernelOutput.MeanJacobian,
        PadIds padIds = default) =>
        ComputeGroups(vae, examples, new Dictionary<string, IReadOnlyList<(string, Parameter)>> { ["group"] = group },
            output, padIds)["group"];

    /// <summary>
    /// The kernels of several parameter groups from one forward pass per example: every example's forward graph is
    /// kept; the union of the groups' parameters is cut into column blocks of at most <paramref name="blockBytes"/> per
    /// [N, block] float32 slab (a large tensor, e.g. a word embedding, is cut inside); for each block and each output
    /// component k (1 for scalar outputs, latent size for MeanJacobian) one gradient per example gives G [N, block],
    /// and each group's Gram matrix adds its columns' G G^T. Theta is a sum over columns, so the blocks change the
    /// memory (bounded by the block, whatever the model's size; paper scale: bert-base-cased's 108M parameters), not
    /// the result.
    /// </summary>
    public static IReadOnlyDictionary<string, TangentKernel> ComputeGroups(LanguageVae vae,
        IReadOnlyList<VaeSequence> examples,
        IReadOnlyDictionary<string, IReadOnlyList<(string name, Parameter parameter)>> groups,
        KernelOutput output = KernelOutput.MeanJacobian, PadIds padIds = default,
        long blockBytes = DefaultBlockBytes)
    {
        if (examples.Count < 2)
            throw new ArgumentException($"a tangent kernel needs at least 2 examples, got {examples.Count}");
        if (groups.Count == 0 || groups.Any(g => g.Value.Count == 0))
            throw new ArgumentException("a parameter group is empty");
        if (examples.Any(e => e.Rule is null)) throw new ArgumentException("every example needs a rule label");
        if (output is KernelOutput.RuleLogit or KernelOutput.RuleLogitSum && vae.rule_classifier is null)
            throw new ArgumentException($"KernelOutput.{output} needs a VAE with a rule classifier (RuleCount > 0); " +
                $"use MeanJacobian");
        int n = examples.Count;
        long maxColumns = Math.Max(1, blockBytes / (4L * n));
        var union = groups.Values.SelectMany(g => g).DistinctBy(p => p.name).ToList();   // each parameter once
        var blocks = Blocks(union, maxColumns);
        using var mode = EvalMode.Of(vae);
        using var scope = NewDisposeScope();
        var functions = examples.Select(e => Functions(vae, e, output, padIds)).ToList();    // N x [K], graphs kept
        long components = functions[0].size(0);
        var device = vae.to_latent.weight.device;
        var theta = groups.ToDictionary(g => g.Key, _ => zeros(new long[] { n, n }, ScalarType.Float64, device));
        // Per-example gradient rows of a scalar output are kept when they fit in one block (tests and small models).
        bool keepRows = components == 1 && blocks.Count == 1;
        var rows = groups.ToDictionary(g => g.Key, _ => (Tensor?)null);
        for (int b = 0; b < blocks.Count; b++)
        {
            var block = blocks[b];
            var parameters = block.Select(s => (Tensor)s.parameter).Distinct().ToArray();
            // Each group's columns in this block, as (offset, length) slices of G: the same for every component.
            var slicesOf = groups.ToDictionary(x => x.Key, _ => new List<(long offset, long length)>());
            long offset = 0;
            foreach (var s in block)
            {
                foreach (var (group, members) in groups)
                    if (members.Any(m => m.name == s.name)) slicesOf[group].Add((offset, s.length));
                offset += s.length;
            }
            for (long k = 0; k < components; k++)
            {
                using var step = NewDisposeScope();
                bool last = b == blocks.Count - 1 && k == components - 1;
                var g = stack(functions.Select(f =>
                {
                    // frees the full gradients of sliced tensors
                    using var example = NewDisposeScope();
                    var grads =
                        LatentRules.Torch.Gradients.grad(new[] { f.select(0, k) }, parameters, retain_graph: !last);
                    var byParameter =
                        parameters.Zip(grads).ToDictionary(x => x.First.Handle, x => x.Second.reshape(-1));
                    return cat(block.Select(s => byParameter[s.parameter.Handle].narrow(0, s.start, s.length))
                        .ToArray(), 0)
                        .MoveToOuterDisposeScope();                                               // [block]
                }).ToArray(), 0);                                                                 // [N, block]
                foreach (var (group, slices) in slicesOf.Where(c => c.Value.Count > 0))
                {
                    // [N, columns of the group in this block]
                    var columns = cat(slices.Select(c => g.narrow(1, c.offset, c.length)).ToArray(), 1);
                    var g64 = columns.to(ScalarType.Float64);
                    theta[group].add_(Ops.matmul(g64, g64.t()));                                        // += G G^T
                    if (keepRows) rows[group] = columns.to(ScalarType.Float32).MoveToOuterDisposeScope();
                }
            }
        }
        var labels = examples.Select(e => e.Rule!.Value).ToArray();
        return groups.ToDictionary(g => g.Key,
            g => new TangentKernel(ToArray(theta[g.Key]), labels, g.Value.Sum(p => p.parameter.numel()),
                rows[g.Key]?.MoveToOuterDisposeScope()));
    }

    /// <summary>Default bound of one [N, block] float32 gradient slab: 512 MiB.</summary>
    public const long DefaultBlockBytes = 512L << 20;

    // The parameters' flattened columns in order, cut into blocks of at most maxColumns (a tensor may span blocks).
    private static List<List<(string name, Parameter parameter, long start, long length)>> Blocks(
        IReadOnlyList<(string name, Parameter parameter)> parameters, long maxColumns)
    {
        var blocks = new List<List<(string, Parameter, long, long)>> { new() };
        long used = 0;
        foreach (var (name, p) in parameters)
            for (long start = 0, numel = p.numel(); start < numel;)
            {
                if (used == maxColumns) { blocks.Add(new()); used = 0; }
                long length = Math.Min(numel - start, maxColumns - used);
                blocks[^1].Add((name, p, start, length));
                used += length;
                start += length;
            }
        return blocks;
    }

    /// <summary>The functions of one example to differentiate, as a vector [K] still attached to the graph.</summary>
    private static Tensor Functions(LanguageVae vae, VaeSequence example, KernelOutput output, PadIds padIds)
    {
        using var batch = new VaeBatch(new[] { example }, padIds, vae.to_latent.weight.device);
        var (mu, _) = vae.Encode(batch.EncoderIds, batch.EncoderMask);                            // [1, latent]
        return output switch
        {
            KernelOutput.RuleLogit => vae.rule_classifier!.forward(mu).select(1, example.Rule!.Value),         // [1]
            KernelOutput.RuleLogitSum => vae.rule_classifier!.forward(mu).sum().reshape(1),                    // [1]
            KernelOutput.MeanOfZ => mu.sum().reshape(1),                                                       // [1]
            // [latent]
            KernelOutput.MeanJacobian => mu.select(0, 0),
            _ => vae.Loss(batch.EncoderIds, batch.EncoderMask, batch.DecoderIds, batch.DecoderMask, batch.Targets, 0,
                batch.Rules).Reconstruction.reshape(1),
        };
    }

    /// <summary>
    /// The Gram matrix Theta [N, N] (float64), or with <paramref name="normalized"/> the cosine similarities.
    /// </summary>
    public double[,] Gram(bool normalized = false)
    {
        var result = (double[,])_theta.Clone();
        if (!normalized) return result;
        int n = result.GetLength(0);
        // A zero gradient has cosine 0 with everything (itself included), as dividing by a clamped norm gives.
        var norm = Enumerable.Range(0, n)
            .Select(i => System.Math.Max(System.Math.Sqrt(System.Math.Max(_theta[i, i], 0)), 1e-30)).ToArray();
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) result[i, j] = _theta[i, j] / (norm[i] * norm[j]);
        return result;
    }

    /// <summary>
    /// Points [N, N] with the same pairwise distances as the normalised gradient vectors (from the cosine Gram C = Y
    /// Y^T, Y = V sqrt(Lambda)): clustering scores that depend only on distances get the same values without the [N, P]
    /// rows.
    /// </summary>
    public double[,] Points()
    {
        var cosine = Gram(normalized: true);
        var (values, vectors) = SymmetricEigen.Decompose(cosine);
        int n = values.Length;
        var y = new double[n, n];
        for (int c = 0; c < n; c++)
        {
            // round-off can leave tiny negatives
            double s = System.Math.Sqrt(System.Math.Max(values[c], 0));
            for (int i = 0; i < n; i++) y[i, c] = vectors[i, c] * s;
        }
        return y;
    }

    private static double[,] ToArray(Tensor square)
    {
        long n = square.size(0);
        var values = square.cpu().ToArray<double>();
        var result = new double[n, n];
        for (long i = 0; i < n; i++) for (long j = 0; j < n; j++) result[i, j] = values[i * n + j];
        return result;
    }

    public void Dispose() => Gradients?.Dispose();
}

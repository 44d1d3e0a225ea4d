using LatentRules.Models.Vae;
using LatentRules.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Analysis.ParameterSpace;

/// <summary>Which function of the encoder the tangent kernel differentiates.</summary>
public enum KernelOutput
{
    /// <summary>
    /// The rule classifier's logit of the example's OWN rule (needs a supervised VAE). Biased for comparing rules: examples
    /// of different rules are differentiated through different classifier rows, so across-rule similarity mostly measures
    /// how unlike those rows are (an untrained encoder already shows a large gap). Kept to compare with the earlier runs.
    /// </summary>
    RuleLogit,
    /// <summary>The sum of the posterior mean's components, sum_k mu_k(x): one scalar function for every example.</summary>
    MeanOfZ,
    /// <summary>The example's token loss with z = its posterior mean (depends on encoder and decoder: use for decoder groups).</summary>
    Reconstruction,
    /// <summary>The sum of all rule logits (needs a supervised VAE): the classifier's output, one scalar function for every example.</summary>
    RuleLogitSum,
    /// <summary>
    /// The whole Jacobian of mu (latent vector) with respect to the group: Theta(a, b) = sum_k &lt;d mu_k(a)/d theta, d mu_k(b)/d theta&gt;,
    /// the trace of the matrix-valued NTK. The same function for every example and no direction of z favoured.
    /// </summary>
    MeanJacobian,
}

/// <summary>
/// The empirical neural tangent kernel of one parameter group over a sample: Theta(a, b) = &lt;g(a), g(b)&gt; with g(x) the
/// gradient (or, for <see cref="KernelOutput.MeanJacobian"/>, the flattened Jacobian) of the encoder output with respect to the
/// group's parameters. Computed in eval mode (no dropout). The Gram matrix is accumulated one output component at a time
/// (<see cref="ComputeGroups"/>), so memory stays at one [N, parameters] block whatever the latent size; per-example
/// gradient rows are kept only for scalar outputs.
/// </summary>
public sealed class TangentKernel : IDisposable
{
    private readonly double[,] _theta;

    private TangentKernel(double[,] theta, int[] labels, long parameters, Tensor? gradients)
    {
        _theta = theta; Labels = labels; Parameters = parameters; Gradients = gradients;
    }

    /// <summary>[N, parameters in the group] per-example gradients of a scalar output; null for MeanJacobian (never materialised).</summary>
    public Tensor? Gradients { get; }

    /// <summary>Rule label of each row.</summary>
    public int[] Labels { get; }

    /// <summary>Parameters in the group.</summary>
    public long Parameters { get; }

    /// <summary>A kernel over given gradient rows [N, P] (taken over; disposed with the kernel) and their rule labels.</summary>
    public static TangentKernel FromGradients(Tensor gradients, IReadOnlyList<int> labels)
    {
        if (gradients.dim() != 2 || gradients.size(0) != labels.Count)
            throw new ArgumentException($"gradients must be [{labels.Count}, P] for {labels.Count} labels, got [{string.Join(", ", gradients.shape)}]");
        using var scope = NewDisposeScope();
        var g = gradients.to(ScalarType.Float64);                                                 // [N, P]
        return new TangentKernel(ToArray(g.matmul(g.t())), labels.ToArray(), gradients.size(1), gradients);
    }

    /// <summary>The kernel of one parameter group (see <see cref="ComputeGroups"/>).</summary>
    public static TangentKernel Compute(LanguageVae vae, IReadOnlyList<VaeSequence> examples,
        IReadOnlyList<(string name, Parameter parameter)> group, KernelOutput output = KernelOutput.MeanJacobian, int padId = 0) =>
        ComputeGroups(vae, examples, new Dictionary<string, IReadOnlyList<(string, Parameter)>> { ["group"] = group }, output, padId)["group"];

    /// <summary>
    /// The kernels of several parameter groups from one set of backward passes: every example's forward graph is kept, then
    /// for each output component k (1 for scalar outputs, latent size for MeanJacobian) one gradient per example over the
    /// union of the groups' parameters gives a block G_k [N, P]; each group's Gram matrix adds its columns' G_k G_k^T.
    /// </summary>
    public static IReadOnlyDictionary<string, TangentKernel> ComputeGroups(LanguageVae vae, IReadOnlyList<VaeSequence> examples,
        IReadOnlyDictionary<string, IReadOnlyList<(string name, Parameter parameter)>> groups, KernelOutput output = KernelOutput.MeanJacobian, int padId = 0)
    {
        if (examples.Count < 2) throw new ArgumentException($"a tangent kernel needs at least 2 examples, got {examples.Count}");
        if (groups.Count == 0 || groups.Any(g => g.Value.Count == 0)) throw new ArgumentException("a parameter group is empty");
        if (examples.Any(e => e.Rule is null)) throw new ArgumentException("every example needs a rule label");
        if (output is KernelOutput.RuleLogit or KernelOutput.RuleLogitSum && vae.rule_classifier is null)
            throw new ArgumentException($"KernelOutput.{output} needs a VAE with a rule classifier (RuleCount > 0); use MeanJacobian");
        // The union of the groups' parameters, each once; a group's columns are slices of a block at these offsets.
        var union = groups.Values.SelectMany(g => g).DistinctBy(p => p.name).ToList();
        var offset = new Dictionary<string, long>(StringComparer.Ordinal);
        long width = 0;
        foreach (var (name, p) in union) { offset[name] = width; width += p.numel(); }
        var parameters = union.Select(p => (Tensor)p.parameter).ToArray();
        int n = examples.Count;
        using var mode = EvalMode.Of(vae);
        using var scope = NewDisposeScope();
        var functions = examples.Select(e => Functions(vae, e, output, padId)).ToList();    // N x [K], graphs kept
        long components = functions[0].size(0);
        var device = vae.to_latent.weight.device;
        var theta = groups.ToDictionary(g => g.Key, _ => zeros(new long[] { n, n }, ScalarType.Float64, device));
        var rows = groups.ToDictionary(g => g.Key, _ => (Tensor?)null);
        for (long k = 0; k < components; k++)
        {
            using var step = NewDisposeScope();
            bool last = k == components - 1;
            var block = stack(functions.Select(f =>
                cat(LatentRules.Torch.Gradients.grad(new[] { f.select(0, k) }, parameters, retain_graph: !last).Select(g => g.reshape(-1)).ToArray(), 0)).ToArray(), 0); // [N, width]
            foreach (var (name, group) in groups)
            {
                var columns = cat(group.Select(p => block.narrow(1, offset[p.name], p.parameter.numel())).ToArray(), 1);   // [N, P_group]
                var g64 = columns.to(ScalarType.Float64);
                theta[name].add_(g64.matmul(g64.t()));                                          // += G_k G_k^T
                if (components == 1) rows[name] = columns.to(ScalarType.Float32).MoveToOuterDisposeScope();
            }
        }
        var labels = examples.Select(e => e.Rule!.Value).ToArray();
        var result = groups.ToDictionary(g => g.Key,
            g => new TangentKernel(ToArray(theta[g.Key]), labels, g.Value.Sum(p => p.parameter.numel()), rows[g.Key]?.MoveToOuterDisposeScope()));
        return result;
    }

    /// <summary>The functions of one example to differentiate, as a vector [K] still attached to the graph.</summary>
    private static Tensor Functions(LanguageVae vae, VaeSequence example, KernelOutput output, int padId)
    {
        using var batch = new VaeBatch(new[] { example }, padId, vae.to_latent.weight.device);
        var (mu, _) = vae.Encode(batch.EncoderIds, batch.EncoderMask);                            // [1, latent]
        return output switch
        {
            KernelOutput.RuleLogit => vae.rule_classifier!.forward(mu).select(1, example.Rule!.Value),         // [1]
            KernelOutput.RuleLogitSum => vae.rule_classifier!.forward(mu).sum().reshape(1),                    // [1]
            KernelOutput.MeanOfZ => mu.sum().reshape(1),                                                       // [1]
            KernelOutput.MeanJacobian => mu.select(0, 0),                                                      // [latent]
            _ => vae.Loss(batch.EncoderIds, batch.EncoderMask, batch.DecoderIds, batch.DecoderMask, batch.Targets, 0, batch.Rules).Reconstruction.reshape(1),
        };
    }

    /// <summary>The Gram matrix Theta [N, N] (float64), or with <paramref name="normalized"/> the cosine similarities.</summary>
    public double[,] Gram(bool normalized = false)
    {
        var result = (double[,])_theta.Clone();
        if (!normalized) return result;
        int n = result.GetLength(0);
        // A zero gradient has cosine 0 with everything (itself included), as dividing by a clamped norm gives.
        var norm = Enumerable.Range(0, n).Select(i => System.Math.Max(System.Math.Sqrt(System.Math.Max(_theta[i, i], 0)), 1e-30)).ToArray();
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) result[i, j] = _theta[i, j] / (norm[i] * norm[j]);
        return result;
    }

    /// <summary>
    /// Points [N, N] with the same pairwise distances as the normalised gradient vectors (from the cosine Gram C = Y Y^T,
    /// Y = V sqrt(Lambda)): clustering scores that depend only on distances get the same values without the [N, P] rows.
    /// </summary>
    public double[,] Points()
    {
        var cosine = Gram(normalized: true);
        var (values, vectors) = SymmetricEigen.Decompose(cosine);
        int n = values.Length;
        var y = new double[n, n];
        for (int c = 0; c < n; c++)
        {
            double s = System.Math.Sqrt(System.Math.Max(values[c], 0));                           // round-off can leave tiny negatives
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

using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch.Optim;
/// <summary>A set of parameters sharing hyper-parameters; null fields take the optimiser's defaults.</summary>
public sealed class ParamGroup(IEnumerable<Parameter> parameters, double? lr = null, double? weight_decay = null)
{
    public List<Parameter> Parameters { get; } = parameters.ToList();
    /// <summary>Current learning rate (schedulers change it).</summary>
    public double lr { get; set; } = lr ?? double.NaN;
    /// <summary>The learning rate schedulers scale from.</summary>
    public double initial_lr { get; set; } = lr ?? double.NaN;
    public double weight_decay { get; set; } = weight_decay ?? double.NaN;
}

/// <summary>
/// Base of the optimisers: parameter groups, per-parameter state tensors, zero_grad and a
/// state_dict (tensors + numbers) that checkpoints save so a resumed run continues exactly.
/// </summary>
public abstract class Optimizer : IDisposable
{
    protected Optimizer(IEnumerable<ParamGroup> groups, double lr, double weightDecay)
    {
        ParamGroups = groups.ToList();
        if (ParamGroups.Count == 0 || ParamGroups.All(g => g.Parameters.Count == 0))
            throw new ArgumentException("optimizer got an empty parameter list");
        if (lr < 0) throw new ArgumentOutOfRangeException(nameof(lr), lr, "learning rate must be >= 0");
        foreach (var g in ParamGroups)
        {
            if (double.IsNaN(g.lr)) g.lr = lr;
            if (double.IsNaN(g.initial_lr)) g.initial_lr = g.lr;
            if (double.IsNaN(g.weight_decay)) g.weight_decay = weightDecay;
        }
    }

    public List<ParamGroup> ParamGroups { get; }

    /// <summary>Per-parameter state tensors (e.g. exp_avg), keyed by the parameter object.</summary>
    protected Dictionary<Parameter, Dictionary<string, Tensor>> State { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Optimiser steps taken so far.</summary>
    public long StepCount { get; protected set; }

    /// <summary>
    /// Clears every parameter's gradient: zeroes it in place (the default, as in PyTorch 1.13, so
    /// backward accumulates into buffers it already has) or drops it with set_to_none.
    /// </summary>
    public void zero_grad(bool set_to_none = false)
    {
        foreach (var g in ParamGroups)
            foreach (var p in g.Parameters) Grads.Clear(p, set_to_none);
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void step()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        StepCount++;
        foreach (var g in ParamGroups)
            foreach (var p in g.Parameters)
            {
                var grad = p.grad;
                if (grad is null) continue;
                if (!State.TryGetValue(p, out var state)) State[p] = state = new Dictionary<string, Tensor>();
                Update(g, p, grad, state);
            }
    }

    /// <summary>Updates one parameter in place; new state tensors must be detached from scopes.</summary>
    protected abstract void Update(ParamGroup group, Parameter p, Tensor grad, Dictionary<string, Tensor> state);

    /// <summary>
    /// State tensors named "state.{group}.{index}.{name}" and numbers (step count, each group's lr),
    /// as checkpoints store them. The tensors are clones owned by the caller.
    /// </summary>
    public (Dictionary<string, Tensor> tensors, Dictionary<string, double> numbers) state_dict()
    {
        var tensors = new Dictionary<string, Tensor>();
        var numbers = new Dictionary<string, double> { ["step"] = StepCount };
        for (int gi = 0; gi < ParamGroups.Count; gi++)
        {
            var g = ParamGroups[gi];
            numbers[$"group.{gi}.lr"] = g.lr;
            numbers[$"group.{gi}.initial_lr"] = g.initial_lr;
            for (int pi = 0; pi < g.Parameters.Count; pi++)
                if (State.TryGetValue(g.Parameters[pi], out var st))
                    foreach (var (name, t) in st)
                        tensors[$"state.{gi}.{pi}.{name}"] = t.detach().clone().DetachFromDisposeScope();
        }
        return (tensors, numbers);
    }

    /// <summary>Restores what <see cref="state_dict"/> produced, for the same parameter layout.</summary>
    public void load_state_dict(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, double> numbers)
    {
        if (!numbers.TryGetValue("step", out double step))
            throw new ArgumentException("optimizer state has no 'step' entry");
        foreach (var st in State.Values) foreach (var t in st.Values) t.Dispose();
        State.Clear();
        StepCount = (long)step;
        for (int gi = 0; gi < ParamGroups.Count; gi++)
        {
            if (numbers.TryGetValue($"group.{gi}.lr", out double lr)) ParamGroups[gi].lr = lr;
            if (numbers.TryGetValue($"group.{gi}.initial_lr", out double ilr)) ParamGroups[gi].initial_lr = ilr;
        }
        foreach (var (key, t) in tensors)
        {
            var parts = key.Split('.', 4);
            if (parts.Length != 4 || parts[0] != "state" ||
                !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int gi) ||
                !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int pi))
                throw new ArgumentException($"optimizer state key '{key}' is not of the form state.<group>.<index>.<name>");
            if (gi >= ParamGroups.Count || pi >= ParamGroups[gi].Parameters.Count)
                throw new ArgumentException($"optimizer state key '{key}' names a parameter this optimizer does not have");
            var p = ParamGroups[gi].Parameters[pi];
            if (t.dim() != 0 && !t.shape.SequenceEqual(p.shape))   // 0-dim entries are counters such as step
                throw new ArgumentException($"optimizer state '{key}' has shape [{string.Join(", ", t.shape)}] but the parameter has [{string.Join(", ", p.shape)}]");
            if (!State.TryGetValue(p, out var st)) State[p] = st = new Dictionary<string, Tensor>();
            st[parts[3]] = t.to(p.dtype, p.device).DetachFromDisposeScope();
        }
    }

    public void Dispose()
    {
        foreach (var st in State.Values) foreach (var t in st.Values) t.Dispose();
        State.Clear();
    }
}

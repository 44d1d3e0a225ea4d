using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch.Optim;
/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter), PyTorch's AdamW: the parameter first
/// shrinks by lr * weight_decay, then takes the bias-corrected Adam step.
/// </summary>
public sealed class AdamW : Optimizer
{
    private readonly double _beta1, _beta2, _eps;

    public AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weight_decay = 0.01)
        : this(new[] { new ParamGroup(parameters) }, lr, beta1, beta2, eps, weight_decay) { }

    public AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weight_decay = 0.01) : base(groups, lr, weight_decay)
    {
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1)
            throw new ArgumentException($"AdamW betas must be in [0, 1), got ({beta1}, {beta2})");
        _beta1 = beta1; _beta2 = beta2; _eps = eps;
    }

    protected override void Update(ParamGroup group, Parameter p, Tensor grad, Dictionary<string, Tensor> state)
    {
        if (!state.TryGetValue("exp_avg", out var expAvg))
        {
            state["exp_avg"] = expAvg = zeros_like(p).DetachFromDisposeScope();
            state["exp_avg_sq"] = zeros_like(p).DetachFromDisposeScope();
            state["step"] = zeros(Array.Empty<long>(), ScalarType.Float64).DetachFromDisposeScope();
        }
        var expAvgSq = state["exp_avg_sq"];
        var stepTensor = state["step"];
        stepTensor.add_(1.0);
        double step = stepTensor.ToDouble();

        p.mul_(1 - group.lr * group.weight_decay);
        expAvg.mul_(_beta1).add_(grad, 1 - _beta1);
        expAvgSq.mul_(_beta2).addcmul_(grad, grad, 1 - _beta2);
        double biasCorrection1 = 1 - Math.Pow(_beta1, step);
        double biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(_beta2, step));
        var denom = expAvgSq.sqrt().div_(biasCorrection2Sqrt).add_(_eps);
        p.addcdiv_(expAvg, denom, -group.lr / biasCorrection1);
    }
}

/// <summary>Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay.</summary>
public sealed class SGD : Optimizer
{
    private readonly double _momentum, _dampening;
    private readonly bool _nesterov;

    public SGD(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0,
        double weight_decay = 0, bool nesterov = false) : base(new[] { new ParamGroup(parameters) }, lr, weight_decay)
    {
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum needs momentum > 0 and dampening 0");
        _momentum = momentum; _dampening = dampening; _nesterov = nesterov;
    }

    protected override void Update(ParamGroup group, Parameter p, Tensor grad, Dictionary<string, Tensor> state)
    {
        Tensor d = group.weight_decay != 0 ? grad.add(p, group.weight_decay) : grad;
        if (_momentum != 0)
        {
            if (!state.TryGetValue("momentum_buffer", out var buf))
                state["momentum_buffer"] = buf = d.clone().DetachFromDisposeScope();
            else
                buf.mul_(_momentum).add_(d, 1 - _dampening);
            d = _nesterov ? d.add(buf, _momentum) : buf;
        }
        p.add_(d, -group.lr);
    }
}

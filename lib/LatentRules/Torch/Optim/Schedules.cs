using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Torch.Optim;
/// <summary>
/// Learning-rate schedules: after each optimiser step call step(); every group's lr becomes
/// initial_lr * Factor(steps taken).
/// </summary>
public abstract class LRScheduler(Optimizer optimizer)
{
    public Optimizer Optimizer { get; } = optimizer;
    public long Steps { get; private set; }

    /// <summary>Multiplier of the initial learning rate after <paramref name="step"/> steps.</summary>
    public abstract double Factor(long step);

    public void step()
    {
        Steps++;
        Apply();
    }

    /// <summary>Jumps to a step count (for resuming a run).</summary>
    public void set_step(long steps)
    {
        Steps = steps;
        Apply();
    }

    private void Apply()
    {
        double f = Factor(Steps);
        foreach (var g in Optimizer.ParamGroups) g.lr = g.initial_lr * f;
    }

    public double get_last_lr() => Optimizer.ParamGroups[0].lr;
}

/// <summary>Linear warm-up from 0 over warmup_steps, then a decay from 1 to min_ratio at total_steps.</summary>
public abstract class WarmupThenDecay : LRScheduler
{
    private readonly long _warmup, _total;
    private readonly double _minRatio;

    protected WarmupThenDecay(Optimizer optimizer, long warmup_steps, long total_steps, double min_ratio) : base(optimizer)
    {
        if (warmup_steps < 0 || total_steps <= 0 || warmup_steps > total_steps)
            throw new ArgumentException($"need 0 <= warmup_steps ({warmup_steps}) <= total_steps ({total_steps}), total > 0");
        _warmup = warmup_steps; _total = total_steps; _minRatio = min_ratio;
        set_step(0);
    }

    /// <summary>Shape of the decay: 1 at progress 0, 0 at progress 1.</summary>
    protected abstract double Decay(double progress);

    public override double Factor(long step)
    {
        if (step < _warmup) return (double)step / _warmup;
        double progress = Math.Min(1.0, (double)(step - _warmup) / Math.Max(1, _total - _warmup));
        return _minRatio + (1 - _minRatio) * Decay(progress);
    }
}

/// <summary>Linear warm-up, then cosine decay to min_ratio (the usual transformer schedule).</summary>
public sealed class WarmupCosine(Optimizer optimizer, long warmup_steps, long total_steps, double min_ratio = 0)
    : WarmupThenDecay(optimizer, warmup_steps, total_steps, min_ratio)
{
    protected override double Decay(double progress) => 0.5 * (1 + Math.Cos(Math.PI * progress));
}

/// <summary>Linear warm-up, then linear decay to min_ratio.</summary>
public sealed class WarmupLinear(Optimizer optimizer, long warmup_steps, long total_steps, double min_ratio = 0)
    : WarmupThenDecay(optimizer, warmup_steps, total_steps, min_ratio)
{
    protected override double Decay(double progress) => 1 - progress;
}

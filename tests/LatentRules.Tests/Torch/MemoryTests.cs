using LatentRules.Torch;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatentRules.Tests.Torch;

/// <summary>Training steps inside dispose scopes leave native memory flat.</summary>
[Collection("torch")]
public sealed class MemoryTests(ITestOutputHelper output)
{
    private static long RssKiB() => ReadStatus("VmRSS:");

    private static long ReadStatus(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0]);
        throw new InvalidOperationException($"{key} not in /proc/self/status");
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void TenThousandTrainingStepsKeepLiveTensorsFlatAndRssBounded()
    {
        manual_seed(0);
        var model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 4));
        using var opt = optim.AdamW(model.parameters(), lr: 1e-3, weight_decay: 0.01);
        using var x = randn(32, 16);
        using var y = randint(0, 4, new long[] { 32 });

        void Step()
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var loss = F.cross_entropy(model.forward(x), y);
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            opt.step();
        }

        for (int k = 0; k < 200; k++) Step();                     // warm-up: optimiser state, allocator pools
        GC.Collect(); GC.WaitForPendingFinalizers();
        long liveBefore = LatentRules.Tests.Support.LiveTensors.OnThisThread, rssBefore = RssKiB();
        for (int k = 0; k < 10_000; k++) Step();
        GC.Collect(); GC.WaitForPendingFinalizers();
        long liveAfter = LatentRules.Tests.Support.LiveTensors.OnThisThread, rssAfter = RssKiB();
        output.WriteLine($"live tensors {liveBefore} -> {liveAfter}; RSS {rssBefore / 1024.0:F1} MiB -> " +
            $"{rssAfter / 1024.0:F1} MiB over 10,000 steps");
        Assert.Equal(liveBefore, liveAfter);
        Assert.True(rssAfter - rssBefore < 64 * 1024, $"RSS grew by {(rssAfter - rssBefore) / 1024.0:F1} MiB");
        model.Dispose();
    }

    [Fact]
    public void ScopesFreeEverythingButWhatIsMovedOut()
    {
        long before = LatentRules.Tests.Support.LiveTensors.OnThisThread;
        Tensor kept;
        using (var outer = NewDisposeScope())
        {
            using (var inner = NewDisposeScope())
            {
                var a = ones(3);
                var b = a * 2;
                kept = (b + 1).MoveToOuterDisposeScope();
            }
            Assert.False(kept.IsInvalid);
            Assert.Equal(before + 1, LatentRules.Tests.Support.LiveTensors.OnThisThread);
            kept.DetachFromDisposeScope();
        }
        Assert.False(kept.IsInvalid);
        Assert.Equal(new float[] { 3, 3, 3 }, kept.ToArray<float>());
        kept.Dispose();
        Assert.Equal(before, LatentRules.Tests.Support.LiveTensors.OnThisThread);
    }
}

using TorchSharp;

namespace LatentRules.Tests.Support;

/// <summary>
/// Tensors created and not yet disposed on this thread (TorchSharp's per-thread statistics). The process-wide
/// Tensor.TotalCount moves with every other test class running in parallel, so leak checks count per thread.
/// </summary>
public static class LiveTensors
{
    public static long OnThisThread => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
}

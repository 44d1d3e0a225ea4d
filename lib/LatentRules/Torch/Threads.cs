using System.Runtime.InteropServices;
using TorchSharp;

namespace LatentRules.Torch;

/// <summary>
/// libtorch's intra-op threads. The lab's default is measured (environment/README.md, "Threads"): libtorch 2.10 splits
/// even tiny ops across its OpenMP threads, which costs more than it saves for the VAE's [32, 64]-sized work, and a
/// second libtorch process on the same cores (a test host beside a notebook kernel) makes spinning OpenMP threads
/// fight. LATENTRULES_THREADS overrides the count; OMP_WAIT_POLICY (PASSIVE by default here) must be set before the
/// process starts, so the Lab and test runner set it for the processes they start.
/// </summary>
public static class Threads
{
    /// <summary>Intra-op threads after <see cref="ApplyDefaults"/>: LATENTRULES_THREADS, else every core.</summary>
    public static int Default
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable("LATENTRULES_THREADS");
            return int.TryParse(env, out int n) && n > 0 ? n : Environment.ProcessorCount;
        }
    }

    internal static void ApplyDefaults() => torch.set_num_threads(Default);

    /// <summary>
    /// The OpenMP wait policy libtorch's libgomp got at load (PASSIVE unless the environment said otherwise).
    /// </summary>
    public static string WaitPolicy => Marshal.PtrToStringAnsi(getenv("OMP_WAIT_POLICY")) ?? "(unset)";

    /// <summary>
    /// OMP_WAIT_POLICY=PASSIVE (unless already set) in the C environment, before libtorch's libgomp reads it at load:
    /// idle OpenMP threads sleep instead of spinning, so two libtorch processes on the same cores (a test host and a
    /// notebook kernel; measured ~10x slower training with spinning) leave each other the CPU. Also MKL_CBWR=AUTO
    /// (unless set): without it libtorch's MKL picks code paths by the memory alignment of each call's buffers, so the
    /// same forward pass gave results differing in the 6th digit from one call to the next (measured: an injection
    /// run's z use, 2 of 6 repeats); with it a seed's results repeat bit for bit, which resumed runs rely on
    /// (Experiments/RunParts.cs). .NET's Environment.SetEnvironmentVariable does not reach the C environment on Linux,
    /// hence setenv.
    /// </summary>
    internal static void SetOpenMpDefaults()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return;
        setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        setenv("MKL_CBWR", "AUTO", 0);
    }

    [DllImport("libc", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value,
        int overwrite);
    [DllImport("libc", CharSet = CharSet.Ansi)] private static extern IntPtr getenv(string name);

    /// <summary>
    /// Runs <paramref name="work"/> with <paramref name="count"/> intra-op threads, then restores the previous count.
    /// </summary>
    public static IDisposable Use(int count)
    {
        TorchRuntime.EnsureLoaded();
        int previous = torch.get_num_threads();
        torch.set_num_threads(count);
        return new Restore(previous);
    }

    private sealed class Restore(int previous) : IDisposable
    {
        private bool _done;
        public void Dispose()
        {
            if (_done) return;
            _done = true;
            torch.set_num_threads(previous);
        }
    }
}

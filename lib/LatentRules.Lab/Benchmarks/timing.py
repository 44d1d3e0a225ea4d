"""Timing shared by the benchmarks' PyTorch sides (engine_reference.py, matmul_reference.py)."""
import statistics
import time


def median_ms(fn, reps, warmup=3):
    """Median wall time of fn() in milliseconds over reps calls, after warmup calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)

"""Cold start of `slqual --help` against `python -c pass` (a benchmark, not a test).

Target: `slqual --help` under 0.25 s on the project's 2-core machine. Run:
    .venv/bin/python benchmarks/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

TARGET_S = 0.25


def time_command(argv: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    # The same interpreter with -m runs exactly what the console script runs.
    baseline = time_command([sys.executable, "-c", "pass"], args.runs)
    help_run = time_command([sys.executable, "-m", "slqual", "--help"], args.runs)
    base_med, help_med = statistics.median(baseline), statistics.median(help_run)
    print(f"python -c pass      median {base_med:.3f} s  (min {min(baseline):.3f} s, {args.runs} runs)")
    print(f"slqual --help       median {help_med:.3f} s  (min {min(help_run):.3f} s, {args.runs} runs)")
    print(f"slqual's own share  {help_med - base_med:.3f} s")
    verdict = "meets" if help_med < TARGET_S else "MISSES"
    print(f"target < {TARGET_S:.2f} s: {verdict}")
    return 0 if help_med < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())

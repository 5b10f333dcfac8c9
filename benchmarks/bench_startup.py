"""Fixed cost of a command: `slqual --help` and `slqual status` against `python -c pass` (a benchmark).

Targets on the project's 2-core machine: `slqual --help` under 0.2 s, and a command's fixed cost
(`slqual status` on the example study: 4 interviews, two reviewers) under 0.4 s. Each figure is
the median of several runs, as wall time and as CPU time (user + system): on a busy machine the
wall time grows while the CPU time stays what one run costs. Run:
    .venv/bin/python benchmarks/bench_startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import slqual as slqual_package

HELP_TARGET_S = 0.2
COMMAND_TARGET_S = 0.4
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "shared-leadership-study"


def time_command(argv: list[str], runs: int, cwd: Path | None = None) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each run of a command."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=cwd)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def example_study(folder: Path) -> Path:
    """The example study, initialised and ingested, with the two reviewers' codings."""
    slqual = [sys.executable, "-m", "slqual"]
    study = folder / "study"
    subprocess.run([*slqual, "init", str(study)], check=True, capture_output=True)
    for name in ("slqual.yaml", "participants.csv"):
        shutil.copy2(EXAMPLE / name, study / name)
    for path in (EXAMPLE / "transcripts").iterdir():
        shutil.copy2(path, study / "transcripts" / path.name)
    subprocess.run([*slqual, "ingest", "transcripts/"], check=True, capture_output=True, cwd=study)
    for name in ("reviewer1.csv", "reviewer2.csv"):
        shutil.copy2(EXAMPLE / "codings" / name, study / "codings" / name)
    return study


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    # What a user runs: the console script the install made (python -m slqual adds runpy's cost).
    script = Path(sys.executable).parent / "slqual"
    slqual = [str(script)] if script.exists() else [sys.executable, "-m", "slqual"]
    # A user's install has bytecode; with PYTHONDONTWRITEBYTECODE set (as on some CI machines)
    # an editable install would compile slqual's modules from source in every run.
    compileall.compile_dir(str(Path(slqual_package.__file__).parent), quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        study = example_study(Path(tmp))
        rows = [
            ("python -c pass", [sys.executable, "-c", "pass"], None),
            ("slqual --help", [*slqual, "--help"], HELP_TARGET_S),
            ("slqual status", [*slqual, "status"], COMMAND_TARGET_S),
        ]
        missed = False
        for label, argv, target in rows:
            walls, cpus = time_command(argv, args.runs, cwd=study)
            wall, cpu = statistics.median(walls), statistics.median(cpus)
            line = f"{label:<16} wall median {wall:.3f} s (min {min(walls):.3f})  cpu median {cpu:.3f} s"
            if target is not None:
                verdict = "meets" if wall < target else "MISSES"
                missed |= wall >= target
                line += f"  target < {target:.1f} s: {verdict}"
            print(line)
    print(f"({args.runs} runs each; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Agreement at study scale (a benchmark, not a test).

3 coders, 50,000 segments, 40 codes (binary presence, some segments not coded
by every coder), in two shapes:
- sparse: 0-5 codes per segment, as in a thematic analysis;
- dense: about 8 codes per segment, nearly every coder's set of codes distinct
  (the case that made the MASI alpha run for minutes before issue 10).
Targets on the project's 2-core machine:
- every per-code and overall statistic with analytic intervals (sparse): < 0.5 s;
- the whole `slqual agree --format json` command, reading the CSVs: sparse < 1.5 s, dense < 3 s;
- the sparse command with `--bootstrap 1000`: < 30 s;
- peak memory of every command (the child process's maximum resident set): < 2 GB.
For comparison: a straightforward loop over the krippendorff package (40 alphas)
and scikit-learn (40 codes x 3 coder pairs of Cohen's kappa). Run:
    .venv/bin/python benchmarks/bench_agree.py [--no-comparison] [--case sparse|dense|both]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from slqual.agreement.build import Ratings
from slqual.agreement.compute import compute_agreement
from slqual.project import init_project
from slqual.segments import SEGMENT_COLUMNS, write_segments

UNITS, CODERS, CODES, THEMES = 50_000, 3, 40, 8
TARGETS = {"statistics": 0.5, "sparse": 1.5, "dense": 3.0, "bootstrap": 30.0, "memory_gb": 2.0}
DENSE_PER_SEGMENT = 8


def simulate(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """present (U, C, K) and rated (U, C): each segment has 0-5 'true' codes (popular codes more often);
    each coder keeps a true code with a code-specific probability and now and then adds another;
    5% of (segment, coder) pairs are not coded."""
    rng = np.random.default_rng(seed)
    popularity = 1 / np.arange(1, CODES + 1) ** 0.8
    popularity /= popularity.sum()
    n_true = np.minimum(rng.poisson(1.3, UNITS), 5)
    truth = np.zeros((UNITS, CODES), dtype=bool)
    order = np.argsort(rng.random((UNITS, CODES)) ** (1 / popularity[None, :]), axis=1)[:, ::-1]
    for slot in range(5):
        truth[np.arange(UNITS), order[:, slot]] |= n_true > slot
    keep = rng.random((UNITS, CODERS, CODES)) < rng.uniform(0.7, 0.97, CODES)
    extra = rng.random((UNITS, CODERS, CODES)) < popularity * 0.15
    rated = rng.random((UNITS, CODERS)) < 0.95
    present = ((truth[:, None, :] & keep) | extra) & rated[:, :, None]
    return present, rated


def simulate_dense(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """About 8 of the 40 codes per segment; each coder changes each code's presence with probability
    0.08, so nearly every coder's set is distinct; 5% of (segment, coder) pairs are not coded."""
    rng = np.random.default_rng(seed)
    flip_rate = 0.08
    truth = rng.random((UNITS, CODES)) < (DENSE_PER_SEGMENT / CODES - flip_rate) / (1 - 2 * flip_rate)
    flip = rng.random((UNITS, CODERS, CODES)) < flip_rate
    rated = rng.random((UNITS, CODERS)) < 0.95
    present = (truth[:, None, :] ^ flip) & rated[:, :, None]
    return present, rated


def codebook_yaml() -> str:
    lines = ["title: Benchmark codebook", "version: 1", "codes:"]
    per_theme = CODES // THEMES - 1
    for t in range(THEMES):
        lines += [f"  - id: t{t}", f"    name: Theme {t}", f"    definition: Theme {t}.", "    children:"]
        lines += [
            f"      - id: t{t}.c{c}\n        name: Code {t}.{c}\n        definition: Code {t}.{c}."
            for c in range(per_theme)
        ]
    return "\n".join(lines) + "\n"


def write_study(root: Path, present: np.ndarray, rated: np.ndarray) -> tuple[Path, list[str]]:
    from slqual.codebook import load_project_codebook

    source = root / "codebook.src.yaml"
    source.write_text(codebook_yaml(), encoding="utf-8")
    project = init_project(root / "study", codebook=str(source))
    codes = list(load_project_codebook(project).nodes)
    documents = [f"D{d:03d}" for d in range(UNITS // 100)]
    ids = [f"{doc}-{seq:04d}" for doc in documents for seq in range(1, 101)]
    segments = pd.DataFrame(
        {
            "segment_id": ids,
            "document": [i.split("-")[0] for i in ids],
            "participant_id": [i.split("-")[0] for i in ids],
            "seq": [int(i.split("-")[1]) for i in ids],
            "speaker": "P",
            "speaker_role": "participant",
            "start": "",
            "end": "",
            "text": "Some words the participant said.",
        },
        columns=SEGMENT_COLUMNS,
    )
    write_segments(project.segments_path, segments)
    id_array = np.array(ids, dtype=object)
    code_array = np.array(codes, dtype=object)
    names = []
    for c in range(CODERS):
        name = f"coder{c + 1}"
        units, ks = np.nonzero(present[:, c, :])
        coded = pd.DataFrame({"segment_id": id_array[units], "code": code_array[ks], "_u": units})
        empty_units = np.nonzero(rated[:, c] & ~present[:, c, :].any(axis=1))[0]
        empty = pd.DataFrame({"segment_id": id_array[empty_units], "code": "", "_u": empty_units})
        frame = pd.concat([coded, empty]).sort_values("_u", kind="stable").drop(columns="_u")
        frame["coder"] = name
        frame.to_csv(project.coder_path(name), index=False)
        names.append(name)
    return project.root, names


def timed(function, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


# Runs a command and prints its children's peak resident set (kB on Linux) and CPU seconds, so that
# each figure is that one command's, not the largest of every command the benchmark ran. CPU time is
# printed beside wall time because a shared machine stretches wall time but hardly the CPU work.
PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); print(u.ru_utime + u.ru_stime, u.ru_maxrss)"
)


def run_cli(root: Path, coders: list[str], *extra: str) -> tuple[float, float, float]:
    """(wall seconds, peak memory in GB, CPU seconds) of one `slqual agree --format json` run."""
    slqual = shutil.which("slqual", path=str(Path(sys.executable).parent)) or "slqual"
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", PEAK, slqual, "agree", *coders, "--format", "json", "-p", str(root), *extra],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - start
    cpu, peak = out.stdout.split()[-2:]
    return seconds, int(peak) / 1024**2, float(cpu)


def report(label: str, seconds: float, target: float | None, unit: str = "s") -> None:
    slow = "TOO SLOW" if unit == "s" else "TOO LARGE"
    verdict = (
        "" if target is None else (f"  target < {target:g} {unit}  " + ("OK" if seconds < target else slow))
    )
    print(f"  {label:<58} {seconds:7.3f} {unit}{verdict}")


def command_case(label: str, present: np.ndarray, rated: np.ndarray, target: float, *extra: str) -> bool:
    """Time the whole command on a study written from these ratings; report time and peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        root, coders = write_study(Path(tmp), present, rated)
        runs = [run_cli(root, coders, *extra) for _ in range(1 if extra else 2)]
    seconds, memory, cpu = min(r[0] for r in runs), max(r[1] for r in runs), min(r[2] for r in runs)
    report(f"{label}: slqual agree --format json {' '.join(extra)}".rstrip(), seconds, target)
    report(f"{label}: the same, CPU time (user + system)", cpu, None)
    report(f"{label}: peak memory", memory, TARGETS["memory_gb"], "GB")
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return seconds < target and memory < TARGETS["memory_gb"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-comparison", action="store_true", help="skip the krippendorff/sklearn loops")
    parser.add_argument("--case", choices=("sparse", "dense", "both"), default="both")
    args = parser.parse_args()
    ok = True
    if args.case in ("dense", "both"):
        present, rated = simulate_dense()
        sets = present[rated]
        distinct = len(np.unique(np.packbits(sets, axis=1), axis=0))
        print(
            f"slqual agree benchmark, dense: {CODERS} coders, {UNITS:,} segments, {CODES} codes, "
            f"{sets.sum(axis=1).mean():.1f} codes per coded segment, {distinct:,} distinct sets of "
            f"{len(sets):,}"
        )
        ok &= command_case("dense", present, rated, TARGETS["dense"])
    if args.case in ("sparse", "both"):
        ok &= sparse(args.no_comparison)
    print("all targets met" if ok else "SOME TARGETS MISSED")
    return 0 if ok else 1


def sparse(no_comparison: bool) -> bool:
    present, rated = simulate()
    ratings = np.where(rated[:, :, None], present.astype(float), np.nan)
    frame = Ratings(
        coders=tuple(f"coder{c + 1}" for c in range(CODERS)),
        level="code",
        units=tuple(str(u) for u in range(UNITS)),
        codes=tuple(f"c{k}" for k in range(CODES)),
        names=tuple(f"c{k}" for k in range(CODES)),
        themes=("",) * CODES,
        theme_names=("",) * CODES,
        present=present,
        rated=rated,
        exclusive=False,
        in_project=False,
    )
    print(f"slqual agree benchmark, sparse: {CODERS} coders, {UNITS:,} segments, {CODES} codes")
    compute_agreement(frame)  # warm up imports
    ok = True
    # a fresh copy each time, so that the labels made from present and rated are timed too
    seconds = timed(lambda: compute_agreement(replace(frame)))
    report("all statistics, analytic intervals (library)", seconds, TARGETS["statistics"])
    ok &= seconds < TARGETS["statistics"]
    ok &= command_case("sparse", present, rated, TARGETS["sparse"])
    ok &= command_case("sparse", present, rated, TARGETS["bootstrap"], "--bootstrap", "1000", "--seed", "1")
    if not no_comparison:
        import krippendorff
        from sklearn.metrics import cohen_kappa_score

        print("For comparison (straightforward loops, no intervals):")
        data = ratings.transpose(2, 1, 0)  # (K, C, U)
        seconds = timed(
            lambda: [krippendorff.alpha(reliability_data=d, level_of_measurement="nominal") for d in data], 1
        )
        report(f"krippendorff package, {CODES} alphas", seconds, None)

        def kappas():
            for k in range(CODES):
                for i in range(CODERS):
                    for j in range(i + 1, CODERS):
                        both = rated[:, i] & rated[:, j]
                        cohen_kappa_score(ratings[both, i, k], ratings[both, j, k])

        report(f"scikit-learn, {CODES * CODERS * (CODERS - 1) // 2} Cohen's kappas", timed(kappas, 1), None)
    return ok


if __name__ == "__main__":
    sys.exit(main())

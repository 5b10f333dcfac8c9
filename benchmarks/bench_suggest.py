"""Suggest and search at study scale (a benchmark, not a test).

A synthetic study: 200 interviews, 20,000 coded participant segments of 15-80
words drawn from a Zipf-like vocabulary of 6,000 words; 60 codes in 10 themes,
each code given away by a few words of its own that appear (two of them) in the
segments coded with it. Targets on the project's 2-core machine:
- `suggest train` (features, grouped cross-validation of every code and theme, final fit): < 60 s;
- `suggest apply` to 20,000 segments: < 10 s;
- peak memory (the whole process): < 2 GB;
- `search` over 40,000 segments, after the first call has built and cached the index: < 1 s.
Run:
    .venv/bin/python benchmarks/bench_suggest.py
Other processes on the machine slow every figure: the load average is printed with them, and
each stage's CPU time (user + system, all threads), which other processes do not inflate: on an
idle 2-core machine the wall time of training is about half its CPU time.
"""

from __future__ import annotations

import argparse
import os
import resource
import string
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from slqual.codings import CODING_COLUMNS
from slqual.project import init_project
from slqual.search import search
from slqual.segments import SEGMENT_COLUMNS, write_segments
from slqual.suggest.apply import apply_model
from slqual.suggest.train import train

SEGMENTS, SEARCH_SEGMENTS, THEMES, PER_THEME, PER_DOCUMENT = 20_000, 40_000, 10, 6, 100
TARGETS = {"train": 60.0, "apply": 10.0, "memory_gb": 2.0, "search": 1.0}


def codebook_yaml() -> str:
    lines = ["title: Benchmark codebook", "version: 1", "codes:"]
    for t in range(THEMES):
        lines += [f"  - id: t{t}", f"    name: Theme {t}", f"    definition: Theme {t}.", "    children:"]
        lines += [
            f"      - id: t{t}.c{c}\n        name: Code {t}.{c}\n        definition: Code {t}.{c}."
            for c in range(PER_THEME)
        ]
    return "\n".join(lines) + "\n"


def simulate(n: int, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """Texts and a (n x codes) truth matrix: each segment has 0-3 codes, each code ~3% of segments."""
    rng = np.random.default_rng(seed)
    letters = list(string.ascii_lowercase)
    vocab = ["".join(rng.choice(letters, size=rng.integers(3, 10))) for _ in range(6000)]
    weights = 1 / np.arange(1, len(vocab) + 1)
    weights /= weights.sum()
    codes = THEMES * PER_THEME
    signs = [rng.choice(vocab[800:], 5, replace=False) for _ in range(codes)]
    truth = rng.random((n, codes)) < 0.03
    lengths = rng.integers(15, 80, n)
    words = rng.choice(vocab, size=int(lengths.sum()), p=weights)
    texts, at = [], 0
    for i in range(n):
        chunk = list(words[at : at + lengths[i]])
        at += lengths[i]
        for k in np.flatnonzero(truth[i]):
            chunk += list(rng.choice(signs[k], 2, replace=False))
        rng.shuffle(chunk)
        texts.append(" ".join(chunk))
    return texts, truth


def write_study(root: Path, texts: list[str], truth: np.ndarray | None):
    root.mkdir(parents=True)
    source = root / "codebook.src.yaml"
    source.write_text(codebook_yaml(), encoding="utf-8")
    project = init_project(root / "study", codebook=str(source))
    n = len(texts)
    documents = [f"D{i // PER_DOCUMENT:04d}" for i in range(n)]
    ids = [f"{doc}-{i % PER_DOCUMENT + 1:04d}" for i, doc in enumerate(documents)]
    segments = pd.DataFrame(
        {
            "segment_id": ids,
            "document": documents,
            "participant_id": documents,
            "seq": [i % PER_DOCUMENT + 1 for i in range(n)],
            "speaker": "P",
            "speaker_role": "participant",
            "start": "",
            "end": "",
            "text": texts,
        }
    )
    write_segments(project.segments_path, segments[SEGMENT_COLUMNS])
    if truth is not None:
        leaves = [f"t{t}.c{c}" for t in range(THEMES) for c in range(PER_THEME)]
        rows = []
        for i, sid in enumerate(ids):
            hits = np.flatnonzero(truth[i])
            rows += [[sid, leaves[k], "consensus", "2026-01-01T00:00:00Z", "", "", ""] for k in hits]
            if not len(hits):
                rows.append([sid, "", "consensus", "2026-01-01T00:00:00Z", "", "", ""])
        pd.DataFrame(rows, columns=CODING_COLUMNS).to_csv(project.coder_path("consensus"), index=False)
    return project


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=SEGMENTS)
    args = parser.parse_args()
    failed = []

    def report(name: str, value: float, target: float, unit: str = "s", cpu: float | None = None) -> None:
        ok = value < target
        failed.extend([] if ok else [name])
        used = f"   (CPU {cpu:.1f} s)" if cpu is not None else ""
        print(
            f"{name:<34} {value:8.2f} {unit}   target < {target:g} {unit}   {'ok' if ok else 'MISSED'}{used}"
        )

    with tempfile.TemporaryDirectory() as tmp:
        texts, truth = simulate(args.segments)
        project = write_study(Path(tmp) / "suggest", texts, truth)
        print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
        started, cpu = time.perf_counter(), _cpu()
        trained = train(project, "consensus")
        wall = time.perf_counter() - started
        report(f"train ({args.segments:,} segments)", wall, TARGETS["train"], cpu=_cpu() - cpu)
        f1 = np.array([s.f1 for s in trained.scores])
        print(
            f"  {len(trained.scores)} codes and themes trained, {len(trained.skipped)} skipped, "
            f"{trained.folds} folds; median cross-validated F1 {np.median(f1):.2f}"
        )
        started, cpu = time.perf_counter(), _cpu()
        applied = apply_model(project)
        wall = time.perf_counter() - started
        report(f"apply ({applied.segments:,} segments)", wall, TARGETS["apply"], cpu=_cpu() - cpu)

        texts, _ = simulate(SEARCH_SEGMENTS, seed=1)
        searchable = write_study(Path(tmp) / "search", texts, None)
        started = time.perf_counter()
        search(searchable, texts[123][:60])
        print(f"{'search, first call (builds index)':<34} {time.perf_counter() - started:8.2f} s")
        started = time.perf_counter()
        result = search(searchable, texts[4567][:80])
        assert result.cached and result.hits[0].segment_id.endswith("-0068"), result.hits[0]
        report(
            f"search ({SEARCH_SEGMENTS:,} segments, cached)", time.perf_counter() - started, TARGETS["search"]
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024  # KiB on Linux
    report("peak memory", peak, TARGETS["memory_gb"], "GB")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

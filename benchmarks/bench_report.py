"""slqual report on a large synthetic study (a benchmark, not a test).

2,000 interviews, 40,000 participant segments (plus as many interviewer turns),
100 codes under 4 themes and a consensus coding. What is measured, in one
process, wall-clock and CPU time:

1. building the report (reading and checking the inputs, every table);
2. the figures (thematic map, heatmap, co-occurrence, saturation; PNG + SVG);
3. each of the six formats (md, csv, xlsx, docx, tex, html), the figures embedded;
4. the peak resident memory of the process (ru_maxrss).

Importing matplotlib is timed on its own; the figures are drawn two at a time in
worker processes, so for each the benchmark shows when it began,
and the load average before and after is printed: on a shared machine, compare
CPU times, not wall times. CPU time includes the worker processes'.

Targets (issue 16): all six formats with figures, build included, under 10 s;
the figures under 3 s; peak memory under 1 GB. Wall time on a loaded machine
can be several times the CPU time; both are printed. Run:
    .venv/bin/python benchmarks/bench_report.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

TOTAL_TARGET_S = 10.0
FIGURES_TARGET_S = 3.0
MEMORY_TARGET_MB = 1024.0
FORMATS = ("md", "csv", "xlsx", "docx", "tex", "html")
DOCUMENTS = 2_000
SEGMENTS_PER_DOCUMENT = 20
CODES = 100
THEMES = ("motivation", "attitudes", "skills", "barriers")
WORDS = (
    "leadership team clinical manager system budget patients practice board meeting shared vision "
    "time pressure trust respect induction role clarity support bureaucracy integration care staff"
).split()


def codebook_yaml() -> str:
    """4 themes x 25 codes; in each theme five parent codes with four children each."""
    lines = ["title: Benchmark codebook", "version: 1", "codes:"]
    for theme in THEMES:
        lines += [f"  - id: {theme}", f"    name: {theme.title()}", "    children:"]
        for p in range(5):
            parent = f"{theme}.c{p}"
            lines += [f"      - id: {parent}", f"        name: {theme.title()} code {p}", "        children:"]
            for c in range(4):
                lines += [f"          - id: {parent}.s{c}", f"            name: Subcode {p}.{c}"]
    return "\n".join(lines) + "\n"


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(4, 18))]
    return " ".join(words).capitalize() + rng.choice([".", ".", "?", "!"])


def make_study(root: Path, seed: int = 7) -> list[str]:
    import pandas as pd

    from slqual.codebook import parse_codebook
    from slqual.project import Settings
    from slqual.segments import SEGMENT_COLUMNS

    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "codings").mkdir()
    (root / "slqual.yaml").write_text(Settings().to_yaml(), encoding="utf-8")
    text = codebook_yaml()
    (root / "codebook.yaml").write_text(text, encoding="utf-8")
    codes = parse_codebook(text).ids()
    codes = [c for c in codes if c not in THEMES]
    assert len(codes) == CODES
    people = pd.DataFrame(
        {
            "participant_id": [f"P{i:04d}" for i in range(1, DOCUMENTS + 1)],
            "group": ["clinical" if i % 2 else "non-clinical" for i in range(DOCUMENTS)],
            "role": [rng.choice(["GP", "Nurse", "Manager", "Director"]) for _ in range(DOCUMENTS)],
        }
    )
    people.to_csv(root / "participants.csv", index=False)
    segments, coding = [], []
    for pid in people["participant_id"]:
        seq = 0
        for _ in range(SEGMENTS_PER_DOCUMENT):
            for role in ("interviewer", "participant"):
                seq += 1
                sid = f"{pid}-{seq:04d}"
                body = " ".join(sentence(rng) for _ in range(rng.randint(1, 8)))
                segments.append(
                    (sid, pid, pid, seq, "Interviewer" if role == "interviewer" else pid, role, "", "", body)
                )
                if role == "participant" and rng.random() < 0.7:
                    picked = rng.sample(codes, rng.choice([1, 1, 2]))
                    flag = "1" if rng.random() < 0.05 else ""
                    coding.extend(
                        (sid, code, "consensus", "2026-11-20T10:00:00Z", "", flag) for code in picked
                    )
    pd.DataFrame(segments, columns=SEGMENT_COLUMNS).to_csv(root / "segments.csv", index=False)
    pd.DataFrame(coding, columns=["segment_id", "code", "coder", "coded_at", "memo", "exemplar"]).to_csv(
        root / "codings" / "consensus.csv", index=False
    )
    return [f"{len(segments) // 2:,} participant segments", f"{len(coding):,} coded rows"]


def _peak_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of its finished child processes (the figures' workers)."""
    times = os.times()
    return time.process_time() + times.children_user + times.children_system


class Clock:
    """Wall-clock and CPU seconds of a block."""

    def __enter__(self):
        self.start_wall, self.start_cpu = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.start_wall
        self.cpu = cpu_seconds() - self.start_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="Build the study in this folder and keep it.")
    args = parser.parse_args()
    from slqual.project import open_project
    from slqual.reports import ReportOptions, build_report
    from slqual.reports.figures import write_figures
    from slqual.reports.writers import get_writer

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        root = (args.keep or Path(tmp)) / "bench-study"
        facts = make_study(root)
        print(f"study: {DOCUMENTS:,} documents, {CODES} codes, " + ", ".join(facts))
        project = open_project(root)
        out = root / "reports"
        out.mkdir()
        with Clock() as build:
            report = build_report(project, ReportOptions())
        marks: list[tuple[str, float, float]] = []  # (what starts, wall, cpu)

        def mark(message: str) -> None:
            marks.append((message.removeprefix("figure: "), time.perf_counter(), cpu_seconds()))

        with Clock() as drawn:
            mark("(importing matplotlib)")
            figures = write_figures(report, out / "figures", progress=mark)
            mark("")
        formats = {}
        for fmt in FORMATS:
            with Clock() as clock:
                get_writer(fmt).write(report, out, figures)
            formats[fmt] = clock
        with Clock() as fisher:
            build_report(project, ReportOptions(figures=False, test="fisher"))
    total_wall = build.wall + drawn.wall + sum(c.wall for c in formats.values())
    total_cpu = build.cpu + drawn.cpu + sum(c.cpu for c in formats.values())
    peak = _peak_mb()

    def line(name: str, clock, target: float | None = None) -> None:
        verdict = ""
        if target is not None:
            verdict = f"  target < {target:.0f} s  {'OK' if clock.wall < target else 'TOO SLOW'}"
        print(f"{name:<34}{clock.wall:7.2f} s wall {clock.cpu:7.2f} s cpu{verdict}")

    line("build (inputs, tables)", build)
    line(f"figures ({len(figures)}, png + svg)", drawn, FIGURES_TARGET_S)
    # Importing matplotlib comes before any worker starts, so it has a duration of its own; the
    # figures are then drawn side by side, so only when each began is known here.
    (name, wall, cpu), (_, next_wall, next_cpu) = marks[0], marks[1]
    print(f"  {name:<32}{next_wall - wall:7.2f} s wall {next_cpu - cpu:7.2f} s cpu")
    for name, wall, _ in marks[1:-1]:
        print(f"  {name[:31]:<32}began {wall - marks[0][1]:5.2f} s into the figures")
    for fmt, clock in formats.items():
        line(f"  {fmt}", clock)
    ok_total, ok_figures, ok_memory = (
        total_wall < TOTAL_TARGET_S,
        drawn.wall < FIGURES_TARGET_S,
        peak < MEMORY_TARGET_MB,
    )
    print(
        f"{'all six formats with figures':<34}{total_wall:7.2f} s wall {total_cpu:7.2f} s cpu"
        f"  target < {TOTAL_TARGET_S:.0f} s  {'OK' if ok_total else 'TOO SLOW'}"
    )
    print(
        f"{'peak memory':<34}{peak:7.0f} MB       target < {MEMORY_TARGET_MB:.0f} MB  "
        f"{'OK' if ok_memory else 'TOO MUCH'}"
    )
    print(f"  (building the tables with --test fisher, scipy imported on first use: {fisher.wall:.2f} s)")
    cores = os.cpu_count() or 1
    load_after = os.getloadavg()
    print(f"load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after, on {cores} cores")
    return 0 if ok_total and ok_figures and ok_memory else 1


if __name__ == "__main__":
    sys.exit(main())

"""slqual report on a large synthetic study (a benchmark, not a test).

2,000 interviews, 40,000 participant segments (plus as many interviewer turns),
100 codes under 4 themes and a consensus coding. Targets on the project's
2-core machine: all tables written as md, csv and xlsx in under 5 s (reading
and checking the inputs included); the figures in under 10 s. Run:
    .venv/bin/python benchmarks/bench_report.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

TABLES_TARGET_S = 5.0
FIGURES_TARGET_S = 10.0
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="Build the study in this folder and keep it.")
    args = parser.parse_args()
    from slqual.project import open_project
    from slqual.reports import ReportOptions, build_report, write_report
    from slqual.reports.figures import write_figures

    with tempfile.TemporaryDirectory() as tmp:
        root = (args.keep or Path(tmp)) / "bench-study"
        facts = make_study(root)
        print(f"study: {DOCUMENTS:,} documents, {CODES} codes, " + ", ".join(facts))
        project = open_project(root)

        start = time.perf_counter()
        report = build_report(project, ReportOptions(figures=False))
        built = time.perf_counter() - start
        paths, _ = write_report(report, root / "reports", "md,csv,xlsx")
        tables = time.perf_counter() - start

        start = time.perf_counter()
        build_report(project, ReportOptions(figures=False, test="fisher"))
        fisher = time.perf_counter() - start

        start = time.perf_counter()
        figures = write_figures(report, root / "reports" / "figures")
        drawn = time.perf_counter() - start

    ok_tables, ok_figures = tables < TABLES_TARGET_S, drawn < FIGURES_TARGET_S
    print(
        f"tables in md, csv, xlsx: {tables:6.2f} s (build {built:.2f} s)  target < {TABLES_TARGET_S:.0f} s  "
        f"{'OK' if ok_tables else 'TOO SLOW'}  ({len(paths)} files)"
    )
    print(f"  building the tables with --test fisher (imports scipy on first use): {fisher:.2f} s")
    print(
        f"figures (png + svg):     {drawn:6.2f} s                 target < {FIGURES_TARGET_S:.0f} s  "
        f"{'OK' if ok_figures else 'TOO SLOW'}  ({len(figures)} figures)"
    )
    return 0 if ok_tables and ok_figures else 1


if __name__ == "__main__":
    sys.exit(main())

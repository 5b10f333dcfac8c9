"""Benchmark: export and import a REFI-QDA project (.qdpx) of 2,000 documents, 40,000 segments, 3 coders.

Run: ``.venv/bin/python benchmarks/bench_qdpx.py [--documents N] [--segments-per-document N]``.

A project is generated directly (segments.csv, participants.csv and three
coder files coding every participant segment with one or two codes, some with
a quote or a memo); then ``export_qdpx`` and ``import_qdpx`` (which writes the
transcripts, ingests them and maps every coded selection back onto segments)
each run in a fresh process. Prints the time (wall clock, and CPU time, which
a busy machine inflates less) and peak memory (max RSS) of each beside the
targets: under 10 s and under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

TARGET_SECONDS = 10.0
TARGET_MB = 1024.0
CODERS = ("reviewer1", "reviewer2", "consensus")
WORDS = (
    "I a to and it was we the of in so that is you it's but they yes well um like just not on for "
    "the team we our practice network board decision really think people patients money time clinical "
    "leadership share trust partners meeting because actually never wanted role quite just about system "
    "manager working together difficult change always know sometimes budget primary care general practice"
).split()


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 18))
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice([".", ".", "?", "!"])


def generate(root: Path, documents: int, per_document: int) -> int:
    """Write segments.csv, participants.csv and the coder files; returns the number of segments."""
    import pandas as pd

    from slqual.codebook import load_codebook
    from slqual.codings import CODING_COLUMNS
    from slqual.project import CODEBOOKS_DIR
    from slqual.segments import SEGMENT_COLUMNS

    rng = random.Random(20261203)
    codes = load_codebook(CODEBOOKS_DIR / "shared_leadership.yaml").ids()
    segments, participants = [], []
    coded: dict[str, list] = {c: [] for c in CODERS}
    for number in range(1, documents + 1):
        document = f"P{number:04d}"
        participants.append(
            (document, rng.choice(["clinical", "non-clinical"]), rng.choice(["GP", "Nurse", "Manager"]))
        )
        for seq in range(1, per_document + 1):
            speaker = "Interviewer" if seq % 2 else document
            role = "interviewer" if seq % 2 else "participant"
            text = " ".join(sentence(rng) for _ in range(1 if role == "interviewer" else rng.randint(2, 6)))
            segment_id = f"{document}-{seq:04d}"
            segments.append((segment_id, document, document, seq, speaker, role, "", "", text))
            if role != "participant":
                continue
            for coder in CODERS:
                for code in rng.sample(codes, rng.randint(1, 2)):
                    quote = " ".join(text.split()[:8]) if rng.random() < 0.1 else ""
                    memo = "worth a second look" if rng.random() < 0.05 else ""
                    coded[coder].append((segment_id, code, coder, "2026-01-05T10:00:00Z", memo, "", quote))
    pd.DataFrame(segments, columns=SEGMENT_COLUMNS).to_csv(root / "segments.csv", index=False)
    pd.DataFrame(participants, columns=["participant_id", "group", "role"]).to_csv(
        root / "participants.csv", index=False
    )
    for coder, rows in coded.items():
        pd.DataFrame(rows, columns=CODING_COLUMNS).to_csv(root / "codings" / f"{coder}.csv", index=False)
    return len(segments)


CHILD_EXPORT = """
import json, resource, sys, time
from slqual.project import open_project
from slqual.interop.qdpx.export import export_qdpx
project = open_project(sys.argv[1])
started, cpu = time.perf_counter(), time.process_time()
result = export_qdpx(project, sys.argv[2])
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "cpu": cpu, "rss_mb": rss,
                  "selections": result.selections, "codings": result.codings}))
"""

CHILD_IMPORT = """
import json, resource, sys, time
from slqual.interop.qdpx.build import import_qdpx
started, cpu = time.perf_counter(), time.process_time()
result = import_qdpx(sys.argv[1], sys.argv[2], ids_from=sys.argv[3])
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "cpu": cpu, "rss_mb": rss, "segments": result.segments,
                  "rows": sum(result.coders.values()), "skipped": len(result.skipped)}))
"""


def child(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--segments-per-document", type=int, default=20)
    args = parser.parse_args()
    from slqual.project import init_project

    with tempfile.TemporaryDirectory(prefix="slqual-bench-") as tmp:
        project = init_project(Path(tmp) / "study")
        segments = generate(project.root, args.documents, args.segments_per_document)
        qdpx = Path(tmp) / "study.qdpx"
        exported = child(CHILD_EXPORT, str(project.root), str(qdpx))
        size = qdpx.stat().st_size / 1_000_000
        imported = child(CHILD_IMPORT, str(qdpx), str(Path(tmp) / "back"), str(project.codebook_path))
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} (figures grow with load)")
    print(f"project: {args.documents} documents, {segments:,} segments, {len(CODERS)} coders")
    print(
        f"export qdpx  {exported['seconds']:6.2f} s (CPU {exported['cpu']:5.2f} s)  "
        f"peak {exported['rss_mb']:6.0f} MB  "
        f"({exported['selections']:,} selections, {exported['codings']:,} codings, {size:.1f} MB file)"
    )
    print(
        f"import qdpx  {imported['seconds']:6.2f} s (CPU {imported['cpu']:5.2f} s)  "
        f"peak {imported['rss_mb']:6.0f} MB  "
        f"({imported['segments']:,} segments, {imported['rows']:,} coder rows, "
        f"{imported['skipped']} kinds skipped)"
    )
    worst = max(exported["seconds"], imported["seconds"])
    peak = max(exported["rss_mb"], imported["rss_mb"])
    ok = worst < TARGET_SECONDS and peak < TARGET_MB
    print(f"target: each under {TARGET_SECONDS:.0f} s and {TARGET_MB:.0f} MB -> {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

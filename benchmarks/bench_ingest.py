"""Benchmark: ingest 1,000 generated transcripts of about 3,000 words (about 18 MB).

Run: ``.venv/bin/python benchmarks/bench_ingest.py [--files N] [--words N] [--changed N]``.

Prints the time for ``slqual.ingest.ingest`` on the whole folder, its
throughput in MB/s and its peak memory (max RSS of a fresh process), beside
the floor: plain Python reading every file and splitting it on speaker labels
with one regular expression. Target on the 2-core reference machine: under
4 s and under 400 MB.

Then the corrected-transcript case (issue 13): three coders code every
participant segment, 100 transcripts get an exchange inserted near the top and
a word edited in a coded turn, and ingest re-aligns them. Target: under 5 s
and under 500 MB, with no coding row lost.
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

TARGET_SECONDS = 4.0
TARGET_MB = 400.0
TARGET_CHANGED_SECONDS = 5.0
TARGET_CHANGED_MB = 500.0
CODERS = ("reviewer1", "reviewer2", "reviewer3")
WORDS = (
    "I a to and it was we the of in so that is you it's but they yes well um like just not on for "
    "I a to and it was we the of in so that is you it's but they yes well um like just not on for "
    "I a to and it was we the of in so that is you it's but they yes well um like just not on for "
    "I a to and it was we the of in so that is you it's but they yes well um like just not on for "
    "I a to and it was we the of in so that is you it's but they yes well um like just not on for "
    "the team we our practice network board decision really think people patients money time clinical "
    "leadership share trust partners meeting because actually never wanted role quite just about system "
    "manager working together difficult change always know sometimes budget primary care general practice "
    "integrated strategy priorities lead shared responsibility honest frankly mean accountable"
).split()
STYLES = ("plain", "timestamp", "wrapped", "bracket")


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 18))
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice([".", ".", ".", "?", "…", "!"])


def transcript(rng: random.Random, number: int, words: int) -> str:
    """One interview in one of a few label styles, with continuation paragraphs and wrapped lines."""
    style = STYLES[number % len(STYLES)]
    pid = f"P{number:04d}"
    lines = [f"Interview {pid}", "Recorded for the benchmark", ""]
    written, seconds, speaker = 0, 0, "Interviewer"
    while written < words:
        body = " ".join(sentence(rng) for _ in range(rng.randint(1, 6) if speaker == pid else 1))
        written += len(body.split())
        seconds += rng.randint(5, 90)
        stamp = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        if style == "timestamp":
            lines.append(f"[{stamp}] {speaker}: {body}")
        elif style == "bracket":
            lines.append(f"[{speaker}] {body}")
        elif style == "wrapped":
            text = f"{speaker}:     {body}"
            lines.extend(text[i : i + 80] for i in range(0, len(text), 80))
        else:
            lines.append(f"{speaker}: {body}")
        if speaker == pid and rng.random() < 0.3:  # an unlabelled continuation paragraph
            lines.extend(["", sentence(rng) + " " + sentence(rng)])
        lines.append("")
        speaker = pid if speaker == "Interviewer" else "Interviewer"
    return "\n".join(lines)


def generate(folder: Path, files: int, words: int) -> int:
    rng = random.Random(20261126)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for number in range(1, files + 1):
        data = transcript(rng, number, words).encode("utf-8")
        (folder / f"P{number:04d}.txt").write_bytes(data)
        total += len(data)
    return total


CHILD_INGEST = """
import json, resource, sys, time
from slqual.project import open_project
from slqual.ingest import ingest
project = open_project(sys.argv[1])
started, cpu = time.perf_counter(), time.process_time()
result = ingest(project)
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "cpu": cpu, "rss_mb": rss, "segments": result.total_segments,
                  "documents": len(result.documents), "written": result.written}))
"""

CHILD_FLOOR = r"""
import json, re, resource, sys, time
from pathlib import Path
label = re.compile(r"^\s*(?:\[[\d:]+\]\s*)?\[?([A-Za-z][\w .'-]{0,39}?)\]?\s*:?\s", re.M)
started, cpu = time.perf_counter(), time.process_time()
turns = 0
for path in sorted(Path(sys.argv[1]).iterdir()):
    text = path.read_text(encoding="utf-8")
    turns += len(label.split(text)) // 2
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "cpu": cpu, "rss_mb": rss, "turns": turns}))
"""


def code_everything(project) -> int:
    """Three coders' files, each with a row on every participant segment; returns the rows written."""
    import csv

    with open(project.segments_path, encoding="utf-8", newline="") as handle:
        ids = [r["segment_id"] for r in csv.DictReader(handle) if r["speaker_role"] == "participant"]
    project.codings_dir.mkdir(exist_ok=True)
    for number, coder in enumerate(CODERS):
        lines = ["segment_id,code,coder,coded_at,memo,exemplar"]
        lines += [f"{sid},motivation,{coder},2026-01-0{number + 1}T00:00:00Z,," for sid in ids]
        project.coder_path(coder).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(ids) * len(CODERS)


def correct(folder: Path, changed: int) -> None:
    """Insert an exchange near the top of ``changed`` transcripts and edit one word of a coded answer."""
    for path in sorted(folder.iterdir())[:changed]:
        lines = path.read_text(encoding="utf-8").split("\n")
        pid = path.stem
        inserted = ["Interviewer: Can I check one thing first?", "", f"{pid}: Yes, of course, go ahead.", ""]
        text = "\n".join(lines[:3] + inserted + lines[3:])
        word = text.index(" the ", text.index(inserted[-2]) + len(inserted[-2]))
        path.write_text(text[:word] + " a " + text[word + 5 :], encoding="utf-8")


def coding_rows(project) -> int:
    return sum(len(project.coder_path(c).read_text(encoding="utf-8").splitlines()) - 1 for c in CODERS)


def child(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--words", type=int, default=3000)
    parser.add_argument("--changed", type=int, default=100)
    args = parser.parse_args()
    from slqual.project import init_project

    with tempfile.TemporaryDirectory(prefix="slqual-bench-") as tmp:
        project = init_project(Path(tmp) / "study")
        size = generate(project.transcripts_dir, args.files, args.words)
        megabytes = size / 1_000_000
        floor = child(CHILD_FLOOR, str(project.transcripts_dir))
        first = child(CHILD_INGEST, str(project.root))
        again = child(CHILD_INGEST, str(project.root))  # unchanged files: reads segments.csv too
        rows = code_everything(project)
        correct(project.transcripts_dir, args.changed)
        changed = child(CHILD_INGEST, str(project.root))
        kept_rows = coding_rows(project)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (figures grow with load)")
    print(f"corpus: {args.files} transcripts, {megabytes:.1f} MB")
    print(
        f"floor (read + one regex split):  {floor['seconds']:6.2f} s (CPU {floor['cpu']:5.2f} s)  "
        f"{megabytes / floor['seconds']:7.1f} MB/s  peak {floor['rss_mb']:6.0f} MB"
    )
    for label, run in (("slqual ingest (first run)", first), ("slqual ingest (re-run)", again)):
        print(
            f"{label:32s} {run['seconds']:6.2f} s (CPU {run['cpu']:5.2f} s)  "
            f"{megabytes / run['seconds']:7.1f} MB/s  "
            f"peak {run['rss_mb']:6.0f} MB  ({run['documents']} documents, {run['segments']:,} segments)"
        )
    worst = max(first["seconds"], again["seconds"])
    peak = max(first["rss_mb"], again["rss_mb"])
    ok = worst < TARGET_SECONDS and peak < TARGET_MB
    print(f"target: under {TARGET_SECONDS:.0f} s and {TARGET_MB:.0f} MB -> {'met' if ok else 'NOT met'}")
    print(
        f"{'re-ingest, ' + str(args.changed) + ' corrected':32s} {changed['seconds']:6.2f} s "
        f"(CPU {changed['cpu']:5.2f} s)  "
        f"{megabytes / changed['seconds']:7.1f} MB/s  peak {changed['rss_mb']:6.0f} MB  "
        f"({len(CODERS)} coders, {rows:,} coding rows before, {kept_rows:,} after)"
    )
    ok_changed = (
        changed["seconds"] < TARGET_CHANGED_SECONDS
        and changed["rss_mb"] < TARGET_CHANGED_MB
        and kept_rows == rows
    )
    print(
        f"target: under {TARGET_CHANGED_SECONDS:.0f} s and {TARGET_CHANGED_MB:.0f} MB, no coding row lost -> "
        f"{'met' if ok_changed else 'NOT met'}"
    )
    return 0 if ok and ok_changed else 1


if __name__ == "__main__":
    sys.exit(main())

"""Quote choice on a large synthetic study (a benchmark, not a test).

The study of bench_report.py (2,000 interviews, 40,000 participant segments,
100 codes), with a redact list of 50 names and no marked quote (every pair is
chosen automatically: the most work). Target on the project's 2-core machine
(issue 14): choosing the quotes adds under 1 s to the report, that is

1. the automatic span choice for every coded (segment, code) pair (sentence
   split, TF-IDF model, scores, runs), as ``load_inputs`` does it; and
2. filling every quote table and the overview (ranking, spread, tidy,
   redaction). This times the whole build of those tables, so it also holds
   work the report did before issue 14 (ranking and filling cells, building
   the table frames): an upper bound of what quote choice adds.

Also printed, outside the target: csv/quotes_long.csv, which lists every
coded quote with its span and passes every text through the redactor (not
quote choice, but slow with a redact list before the redactor's lookahead).
Wall time on a loaded machine can be several times the CPU time; the load
average is printed. Run:
    .venv/bin/python benchmarks/bench_quotes.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_S = 1.0


def main() -> int:
    import pandas as pd
    from bench_report import make_study

    from slqual.project import open_project
    from slqual.reports import ReportOptions
    from slqual.reports.inputs import load_inputs
    from slqual.reports.safety import quote_spans
    from slqual.reports.tables import long_table, overview_table, quote_tables
    from slqual.segments import read_project_segments

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "bench-study"
        facts = make_study(root)
        names = [f"Name{i}" for i in range(50)]
        pd.DataFrame({"text": names, "replacement": "[name]"}).to_csv(root / "redact.csv", index=False)
        project = open_project(root)
        options = ReportOptions(figures=False)
        inputs = load_inputs(project, options)
        coding = pd.read_csv(project.coder_path("consensus"), dtype=str, keep_default_na=False)
        coding["quote"] = ""
        segments = read_project_segments(project)
        plain = inputs.coded.drop(
            columns=["quote_method", "quote_start", "quote_end", "quote_offsets", "quote_score"]
        )

        start, cpu = time.perf_counter(), time.process_time()
        quote_spans(project.coder_path("consensus"), coding, plain, segments, inputs.codebook, 80, 12)
        spans, spans_cpu = time.perf_counter() - start, time.process_time() - cpu

        start, cpu = time.perf_counter(), time.process_time()
        quote_tables(inputs, options, first_number=2)
        overview_table(inputs, options)
        tables, tables_cpu = time.perf_counter() - start, time.process_time() - cpu

        start, cpu = time.perf_counter(), time.process_time()
        long_table(inputs)
        listing, listing_cpu = time.perf_counter() - start, time.process_time() - cpu

    total = spans + tables
    ok = total < TARGET_S
    print(f"study: {', '.join(facts)}; {len(plain):,} coded (segment, code) pairs")
    print("                                     wall     cpu (this process)")
    print(f"span choice for every pair:         {spans:6.2f} s {spans_cpu:6.2f} s")
    print(f"quote tables (spread, tidy, redact): {tables:5.2f} s {tables_cpu:6.2f} s")
    verdict = "OK" if ok else "TOO SLOW"
    print(
        f"quote choice in all:                {total:6.2f} s {spans_cpu + tables_cpu:6.2f} s"
        f"  target < {TARGET_S:.0f} s (wall)  {verdict}"
    )
    print(f"not counted: quotes_long.csv        {listing:6.2f} s {listing_cpu:6.2f} s")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall grows with load)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

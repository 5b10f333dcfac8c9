#!/usr/bin/env bash
# The whole slqual workflow on the example study, as `make demo` runs it.
# Every result goes into demo-output/; the example folder itself is never changed.
set -euo pipefail
cd "$(dirname "$0")/.."
SLQUAL="${SLQUAL:-$PWD/.venv/bin/slqual}"
EXAMPLE="$PWD/examples/shared-leadership-study"
OUT="${DEMO_OUT:-$PWD/demo-output}"
STUDY="$OUT/study"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

rm -rf "$OUT"
mkdir -p "$OUT"

step "1. Create a project (slqual init)"
"$SLQUAL" init "$STUDY"
cp "$EXAMPLE/slqual.yaml" "$EXAMPLE/participants.csv" "$EXAMPLE/redact.csv" "$STUDY/"
cp "$EXAMPLE"/transcripts/* "$STUDY/transcripts/"
cd "$STUDY"

step "2. Check and show the codebook"
"$SLQUAL" codebook check
"$SLQUAL" codebook show
"$SLQUAL" codebook export --format docx -o "$OUT/codebook-appendix.docx"
"$SLQUAL" codebook export --format qdc -o "$OUT/codebook.qdc"

step "3. Ingest the transcripts (txt, docx, Teams vtt)"
"$SLQUAL" ingest transcripts/

step "4. The reviewers' codings arrive and are summarised"
cp "$EXAMPLE"/codings/reviewer1.csv "$EXAMPLE"/codings/reviewer2.csv codings/
"$SLQUAL" codebook check --codings
"$SLQUAL" autocode
"$SLQUAL" status
"$SLQUAL" sheet export --coder reviewer1 -o "$OUT/reviewer1-sheet.xlsx" --redact

step "5. Inter-rater agreement"
"$SLQUAL" agree reviewer1 reviewer2 --disagreements "$OUT/disagreements.xlsx" --redact
"$SLQUAL" agree reviewer1 reviewer2 --level theme
"$SLQUAL" agree reviewer1 reviewer2 --format json > "$OUT/agreement.json"
"$SLQUAL" agree reviewer1 reviewer2 --methods > "$OUT/methods-paragraph.txt"

step "6. Reconcile into a consensus"
# The team's recorded decisions for the example; anything left open keeps the code.
"$SLQUAL" reconcile reviewer1 reviewer2 --decisions "$EXAMPLE/decisions.csv" --undecided keep

step "7. Report: theme tables by group, prevalence, figures"
# Names and places in redact.csv are replaced in everything the report writes; check the list first.
"$SLQUAL" redact check --limit 10 || true
"$SLQUAL" report --format md,xlsx,docx,html,csv,tex -o "$OUT/report"
# One reviewer's coding, with the quotes the reviewer marked (quote column) beside selected ones.
"$SLQUAL" report --coder reviewer1 --format md,csv --no-figures -o "$OUT/report-reviewer1"

step "8. Read back, search, and codes suggested by a model trained on the consensus"
"$SLQUAL" show motivation.not_career_goal --by role --format md -o "$OUT/not-career-goal.md"
"$SLQUAL" search "I never planned to become a leader" --top 5
"$SLQUAL" suggest train --coder consensus
"$SLQUAL" suggest apply
"$SLQUAL" agree reviewer1 model --level theme

step "9. The whole project for NVivo, ATLAS.ti, MAXQDA or QualCoder (REFI-QDA)"
"$SLQUAL" export qdpx -o "$OUT/study.qdpx" --redact

step "Done"
echo "The example study's results are in $OUT:"
echo "  study/                 the project folder (segments.csv, codings/, .slqual/)"
echo "  report/                theme tables, prevalence, figures (md, xlsx, docx, html, csv, tex)"
echo "  report-reviewer1/      reviewer1's coding, with the quotes the reviewer marked"
echo "  agreement.json         inter-rater agreement; disagreements.xlsx the list to discuss"
echo "  methods-paragraph.txt  a paragraph for the paper's methods section"
echo "  not-career-goal.md     every segment coded 'not a career goal', by role"
echo "  study.qdpx             the project for other qualitative analysis programs (names redacted)"
echo "  codebook-appendix.docx, codebook.qdc, reviewer1-sheet.xlsx"

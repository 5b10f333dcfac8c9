"""Re-ingest by alignment: the id rule (an id, once given, names the same words or nothing)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from slqual.align import align, similarity
from slqual.ingest import ingest
from slqual.orphans import ChangedTranscriptsError
from slqual.project import open_project
from slqual.review import read_marks

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "shared-leadership-study"


def _texts(project) -> dict[str, str]:
    with open(project.segments_path, encoding="utf-8", newline="") as handle:
        return {r["segment_id"]: r["text"] for r in csv.DictReader(handle)}


def _coding_rows(project) -> dict[str, list[dict[str, str]]]:
    result = {}
    for coder in project.coders():
        with open(project.coder_path(coder), encoding="utf-8", newline="") as handle:
            result[coder] = list(csv.DictReader(handle))
    return result


@pytest.fixture
def example(tmp_path):
    root = tmp_path / "study"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("segments.csv", ".slqual"))
    if not (root / "codebook.yaml").exists():
        shutil.copyfile(REPO / "codebooks" / "shared_leadership.yaml", root / "codebook.yaml")
    project = open_project(root)
    ingest(project)
    return project


def test_inserting_an_exchange_and_editing_a_coded_word_loses_no_row_and_changes_no_meaning(example):
    before_texts = _texts(example)
    before_rows = _coding_rows(example)
    coder_bytes = {c: example.coder_path(c).read_bytes() for c in example.coders()}
    coded_p01 = {
        r["segment_id"] for rows in before_rows.values() for r in rows if r["segment_id"].startswith("P01-")
    }
    assert "P01-0004" in coded_p01
    path = example.transcripts_dir / "P01.txt"
    text = path.read_text(encoding="utf-8")
    first_answer_end = text.index("Interviewer: Not a problem at all.")
    text = (
        text[:first_answer_end]
        + "Interviewer: Can I check the spelling of your practice's name?\n\n"
        + "P01: Millbeck, with two l's.\n\n"
        + text[first_answer_end:]
    ).replace("more or less by accident", "more or less by chance")
    path.write_text(text, encoding="utf-8")

    result = ingest(example)  # no --force needed: no coded turn is gone

    p01 = next(d for d in result.documents if d.document == "P01")
    assert (p01.status, p01.added, p01.removed, p01.edited) == ("changed", 2, 0, 1)
    after_texts = _texts(example)
    for sid, old in before_texts.items():  # every id names its words, or edited words marked for review
        if sid == "P01-0004":
            assert after_texts[sid] == old.replace("by accident", "by chance")
        else:
            assert after_texts[sid] == old, sid
    new_ids = sorted(set(after_texts) - set(before_texts))
    assert new_ids == [
        f"P01-{n:04d}"
        for n in range(
            len([s for s in before_texts if s.startswith("P01-")]) + 1,
            len([s for s in before_texts if s.startswith("P01-")]) + 3,
        )
    ]
    # no coding row lost, nor even touched; no orphaned folder
    assert {c: example.coder_path(c).read_bytes() for c in example.coders()} == coder_bytes
    assert not (example.codings_dir / "orphaned").exists()
    # the edited coded turn is marked for review for every coder who coded it
    assert result.review == ("P01-0004",)
    for coder in ("reviewer1", "reviewer2"):
        mark = read_marks(example, coder)["P01-0004"]
        assert "by accident" in mark.old_text and "by chance" in mark.text
    # seq follows document order; the inserted exchange sits where it was inserted
    with open(example.segments_path, encoding="utf-8", newline="") as handle:
        p01_rows = [r for r in csv.DictReader(handle) if r["document"] == "P01"]
    assert [int(r["seq"]) for r in p01_rows] == list(range(1, len(p01_rows) + 1))
    assert p01_rows[2]["segment_id"] == new_ids[0] and p01_rows[3]["segment_id"] == new_ids[1]
    log = (example.internal_dir / "audit.log").read_text(encoding="utf-8").splitlines()
    entry = json.loads(log[-1])
    assert entry["changed"]["P01"] == {"kept": len(p01_rows) - 3, "edited": 1, "added": 2, "removed": 0}


def test_a_removed_number_is_never_given_again(project):
    path = project.transcripts_dir / "P01.txt"
    path.write_text("Interviewer: One?\n\nP01: Two.\n\nInterviewer: Three?\n\nP01: Four.\n", encoding="utf-8")
    ingest(project)
    path.write_text("Interviewer: One?\n\nP01: Two.\n\nInterviewer: Three?\n", encoding="utf-8")
    ingest(project)
    assert "P01-0004" not in _texts(project)
    path.write_text(
        "Interviewer: One?\n\nP01: Two.\n\nInterviewer: Three?\n\nP01: Something else.\n", encoding="utf-8"
    )
    ingest(project)
    assert _texts(project)["P01-0005"] == "Something else."
    assert "P01-0004" not in _texts(project)


def test_a_moved_turn_keeps_its_id_and_its_codes(project):
    path = project.transcripts_dir / "P01.txt"
    path.write_text(
        "Interviewer: First question?\n\nP01: First answer here.\n\n"
        "Interviewer: Second?\n\nP01: Second answer.\n",
        encoding="utf-8",
    )
    ingest(project)
    project.coder_path("r1").write_text("segment_id,code\nP01-0004,motivation\n", encoding="utf-8")
    path.write_text(
        "Interviewer: Second?\n\nP01: Second answer.\n\n"
        "Interviewer: First question?\n\nP01: First answer here.\n",
        encoding="utf-8",
    )
    result = ingest(project)
    assert _texts(project)["P01-0004"] == "Second answer."
    assert result.orphaned == () and result.review == ()


def test_a_coded_turn_that_is_gone_still_needs_force(project):
    path = project.transcripts_dir / "P01.txt"
    path.write_text("Interviewer: Q?\n\nP01: An answer about leadership.\n", encoding="utf-8")
    ingest(project)
    project.coder_path("r1").write_text("segment_id,code\nP01-0002,motivation\n", encoding="utf-8")
    path.write_text("Interviewer: Q?\n\nP01: Something entirely different now.\n", encoding="utf-8")
    with pytest.raises(ChangedTranscriptsError, match="r1: P01-0002"):
        ingest(project)
    result = ingest(project, force=True)
    assert [o.segment_ids for o in result.orphaned] == [("P01-0002",)]
    assert _texts(project) == {"P01-0001": "Q?", "P01-0003": "Something entirely different now."}


def test_the_similarity_threshold_decides_edited_or_replaced(project):
    path = project.transcripts_dir / "P01.txt"
    path.write_text(
        "Interviewer: Q?\n\nP01: one two three four five six seven eight nine ten\n", encoding="utf-8"
    )
    ingest(project)
    path.write_text(
        "Interviewer: Q?\n\nP01: one two three four five six seven eight nine TEN\n", encoding="utf-8"
    )
    assert ingest(project, dry_run=True, similarity=0.95).documents[0].edited == 1
    path.write_text("Interviewer: Q?\n\nP01: one two three four five six seven eight x y\n", encoding="utf-8")
    assert ingest(project, dry_run=True, similarity=0.95).documents[0].removed == 1
    assert ingest(project, dry_run=True, similarity=0.75).documents[0].edited == 1


def test_align_pairs_edited_turns_only_with_the_same_speaker_and_in_order():
    old = [("D-0001", "I", "a b c d e"), ("D-0002", "P", "f g h i j"), ("D-0003", "I", "k l m")]
    new = [("I", "a b c d e"), ("Q", "f g h i j"), ("I", "k l m")]
    result = align("D", old, new)
    assert result.ids == ["D-0001", "D-0004", "D-0003"]
    assert result.removed == ["D-0002"] and result.added == ["D-0004"]
    assert similarity("a b c", "a b c") == 1.0


def test_warnings_about_unchanged_files_are_one_summary_line(project):
    shutil.copyfile(
        REPO / "tests" / "data" / "transcripts" / "no_labels.txt", project.transcripts_dir / "P08.txt"
    )
    first = ingest(project)
    assert any("no speaker labels found in P08.txt" in w for w in first.warnings)
    again = ingest(project)
    assert not any("no speaker labels" in w for w in again.warnings)
    [summary] = [w for w in again.warnings if "not repeated" in w]
    assert summary.startswith("2 warning(s) about unchanged file(s) (P08.txt) were shown before")
    assert "--all-warnings" in summary
    assert any("no speaker labels found in P08.txt" in w for w in ingest(project, all_warnings=True).warnings)


def _manifest_of_an_earlier_version(project):
    """The manifest as versions before the id rule wrote it: no highest number per document."""
    manifest = project.internal_dir / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for entry in data["documents"].values():
        del entry["highest"]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    return manifest


def test_a_project_ingested_before_the_manifest_kept_numbers_keeps_its_ids(project):
    path = project.transcripts_dir / "P01.txt"
    path.write_text("Interviewer: One?\n\nP01: Two.\n\nInterviewer: Three?\n\nP01: Four.\n", encoding="utf-8")
    ingest(project)
    manifest = _manifest_of_an_earlier_version(project)
    before = _texts(project)
    path.write_text(
        "Interviewer: Zero?\n\nP01: Yes.\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8"
    )
    ingest(project)
    after = _texts(project)
    assert {sid: after[sid] for sid in before} == before
    assert sorted(set(after) - set(before)) == ["P01-0005", "P01-0006"]
    assert json.loads(manifest.read_text(encoding="utf-8"))["documents"]["P01"]["highest"] == 6


def test_a_file_changed_without_changing_its_segments_records_its_highest_number(project):
    path = project.transcripts_dir / "P01.txt"
    path.write_text("Interviewer: One?\n\nP01: Two.\n\nInterviewer: Three?\n", encoding="utf-8")
    ingest(project)
    manifest = _manifest_of_an_earlier_version(project)
    path.write_text("Interviewer:   One?\n\n\nP01: Two.\n\nInterviewer: Three?\n\n", encoding="utf-8")
    result = ingest(project)
    assert [d.status for d in result.documents if d.document == "P01"] == ["unchanged"]
    assert json.loads(manifest.read_text(encoding="utf-8"))["documents"]["P01"]["highest"] == 3

"""slqual.ingest: a folder of transcripts into segments.csv, safely and repeatably."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from slqual.errors import ProjectError, TranscriptError
from slqual.ingest import ingest
from slqual.orphans import ChangedTranscriptsError
from slqual.project import open_project
from slqual.segments import SEGMENT_COLUMNS, read_segments

DATA = Path(__file__).parent / "data" / "transcripts"


def add(project, source: str, target: str | None = None) -> Path:
    dest = project.transcripts_dir / (target or source)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DATA / source, dest)
    return dest


def participants(project, text: str) -> None:
    project.participants_path.write_text(text, encoding="utf-8")


def set_unit(project, unit: str):
    settings = project.settings_path.read_text(encoding="utf-8").replace("unit: turn", f"unit: {unit}")
    project.settings_path.write_text(settings, encoding="utf-8")
    return open_project(project.root)


def rows(project) -> list[dict[str, str]]:
    with open(project.segments_path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def study(project):
    participants(project, "participant_id,group,role\nP07,clinical,Nurse\nP09,non-clinical,Manager\n")
    add(project, "P07.txt")
    add(project, "bold_labels.docx", "P09.docx")
    return project


def test_segments_have_the_documented_columns_ids_roles_and_participants(study):
    result = ingest(study)
    assert result.written
    table = rows(study)
    assert list(table[0]) == SEGMENT_COLUMNS
    p07 = [r for r in table if r["document"] == "P07"]
    assert [r["segment_id"] for r in p07] == [f"P07-{n:04d}" for n in range(1, 7)]
    assert [r["seq"] for r in p07] == [str(n) for n in range(1, 7)]
    assert [r["speaker_role"] for r in p07] == ["interviewer", "participant"] * 3
    assert {r["participant_id"] for r in table} == {"P07", "P09"}
    assert p07[1]["text"].startswith("Sure. I lead the community nursing team")
    assert "“leader”" in p07[1]["text"]  # curly quotes kept
    assert {d.document: d.group for d in result.documents} == {"P07": "clinical", "P09": "non-clinical"}
    assert {g.group: (g.documents, g.participant_turns) for g in result.groups} == {
        "clinical": (1, 3),
        "non-clinical": (1, 2),
    }
    assert result.total_segments == 10
    assert result.warnings == ()


def test_reingest_of_unchanged_files_is_byte_identical(study):
    ingest(study)
    before = study.segments_path.read_bytes()
    manifest = (study.internal_dir / "manifest.json").read_bytes()
    result = ingest(study)
    assert not result.written
    assert {d.status for d in result.documents} == {"unchanged"}
    assert study.segments_path.read_bytes() == before
    assert (study.internal_dir / "manifest.json").read_bytes() == manifest


def test_the_manifest_records_each_file_hash(study):
    ingest(study)
    data = json.loads((study.internal_dir / "manifest.json").read_text(encoding="utf-8"))
    entry = data["documents"]["P07"]
    assert entry["file"] == "transcripts/P07.txt"
    assert len(entry["sha256"]) == 64
    assert entry["segments"] == 6


def test_a_new_file_adds_its_segments_and_keeps_the_rest(study):
    ingest(study)
    before = rows(study)
    add(study, "table3.docx", "P11.docx")
    result = ingest(study)
    statuses = {d.document: d.status for d in result.documents}
    assert statuses == {"P07": "unchanged", "P09": "unchanged", "P11": "new"}
    after = rows(study)
    assert [r for r in after if r["document"] != "P11"] == before
    assert [r["segment_id"] for r in after if r["document"] == "P11"] == ["P11-0001", "P11-0002", "P11-0003"]
    assert "P11" in result.warnings[0]  # no participants.csv row for it


def test_ingesting_another_folder_keeps_documents_from_the_first(study, tmp_path):
    ingest(study)
    extra = tmp_path / "batch2"
    extra.mkdir()
    shutil.copyfile(DATA / "otter.txt", extra / "P20.txt")
    ingest(study, extra)
    assert {r["document"] for r in rows(study)} == {"P07", "P09", "P20"}


def _code(project, coder: str, segment_ids: list[str]) -> Path:
    path = project.coder_path(coder)
    lines = ["segment_id,code,coder,coded_at,memo,exemplar"] + [
        f"{sid},motivation,{coder},2026-01-01T00:00:00Z,memo {sid}," for sid in segment_ids
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _change_p07(project) -> None:
    """Insert an exchange, and rewrite P07-0004's answer entirely (so that turn is gone)."""
    path = project.transcripts_dir / "P07.txt"
    text = (
        path.read_text(encoding="utf-8")
        .replace(
            "Interviewer: How do you share",
            "Interviewer: A new question.\n\nP07: A new answer.\n\nInterviewer: How do you share",
        )
        .replace("Mostly informally…\nWe have a huddle on Tuesdays.", "Rarely, to be honest.")
    )
    path.write_text(text, encoding="utf-8")


def test_a_changed_file_with_codings_stops_before_writing(study):
    ingest(study)
    coder_file = _code(study, "reviewer1", ["P07-0002", "P07-0004", "P09-0002"])
    _code(study, "reviewer2", ["P07-0006"])
    segments_before = study.segments_path.read_bytes()
    coder_before = coder_file.read_bytes()
    _change_p07(study)
    with pytest.raises(ChangedTranscriptsError) as caught:
        ingest(study)
    message = str(caught.value)
    assert "P07.txt" in message
    assert "reviewer1: P07-0004" in message
    assert "P07-0002" not in message  # that segment still holds the same words
    assert "reviewer2" not in message  # P07-0006 moved down, its words and id unchanged
    assert "--force" in message
    assert study.segments_path.read_bytes() == segments_before
    assert coder_file.read_bytes() == coder_before
    assert not (study.codings_dir / "orphaned").exists()


def test_force_moves_orphaned_codings_aside_and_keeps_every_row(study):
    from slqual.codings import read_coding

    ingest(study)
    _code(study, "reviewer1", ["P07-0002", "P07-0004", "P09-0002"])
    _change_p07(study)
    result = ingest(study, force=True)
    assert [(o.coder, o.segment_ids) for o in result.orphaned] == [("reviewer1", ("P07-0004",))]
    kept = read_coding(study.coder_path("reviewer1"))
    assert list(kept["segment_id"]) == ["P07-0002", "P09-0002"]
    orphan_files = list((study.codings_dir / "orphaned").glob("reviewer1.*.csv"))
    assert len(orphan_files) == 1
    with open(orphan_files[0], encoding="utf-8", newline="") as handle:
        orphaned = list(csv.DictReader(handle))
    assert [r["segment_id"] for r in orphaned] == ["P07-0004"]
    assert orphaned[0]["old_text"] == "Mostly informally… We have a huddle on Tuesdays."
    assert "changed" in orphaned[0]["note"]
    assert orphaned[0]["memo"] == "memo P07-0004"
    assert study.coders() == ["reviewer1"]  # the orphaned folder is not a coder
    assert [r["text"] for r in rows(study) if r["segment_id"] == "P07-0004"] == []  # never reused
    assert [r["segment_id"] for r in rows(study) if r["text"] == "A new answer."] == ["P07-0008"]
    assert {d.document: d.status for d in result.documents}["P07"] == "changed"


def test_a_changed_file_without_codings_is_resegmented(study):
    ingest(study)
    _change_p07(study)
    result = ingest(study)
    assert {d.document: d.status for d in result.documents} == {"P07": "changed", "P09": "unchanged"}
    assert len([r for r in rows(study) if r["document"] == "P07"]) == 8


def test_other_files_are_skipped_with_one_warning_or_refused_with_strict(study):
    for name in ("notes.pdf", "audio.mp3", ".DS_Store", "~$P07.docx", "codes.xlsx"):
        (study.transcripts_dir / name).write_bytes(b"x")
    result = ingest(study)
    skip = [w for w in result.warnings if w.startswith("skipped")]
    assert len(skip) == 1
    for name in ("notes.pdf", "audio.mp3", ".DS_Store", "~$P07.docx", "codes.xlsx"):
        assert name in skip[0]
    assert "save .pdf as .docx or .txt" in skip[0]
    study.segments_path.unlink()
    with pytest.raises(TranscriptError, match="--strict"):
        ingest(study, strict=True)
    assert not study.segments_path.exists()


@pytest.mark.parametrize("bad", ["empty.txt", "binary.txt", "corrupt.docx", "latin.txt"])
def test_an_unreadable_file_is_one_error_and_nothing_is_written(study, bad):
    add(study, f"bad/{bad}", f"P99{Path(bad).suffix}")
    with pytest.raises(TranscriptError) as caught:
        ingest(study)
    assert str(caught.value).startswith((f"P99{Path(bad).suffix}: ", f"P99{Path(bad).suffix}, line "))
    assert not study.segments_path.exists()
    assert not (study.internal_dir / "manifest.json").exists()


def test_keep_going_ingests_the_rest_and_lists_failures(study):
    add(study, "bad/corrupt.docx", "P98.docx")
    add(study, "bad/empty.txt", "P99.txt")
    result = ingest(study, keep_going=True)
    assert [f.file for f in result.failures] == ["P98.docx", "P99.txt"]
    assert "empty" in result.failures[1].message
    assert {r["document"] for r in rows(study)} == {"P07", "P09"}


def test_dry_run_writes_nothing(study):
    result = ingest(study, dry_run=True)
    assert result.dry_run and not result.written
    assert result.total_segments == 10
    assert not study.segments_path.exists()
    assert not (study.internal_dir / "manifest.json").exists()


def test_dry_run_reports_orphans_without_moving_them(study):
    ingest(study)
    coder_file = _code(study, "reviewer1", ["P07-0004"])
    before = coder_file.read_bytes()
    _change_p07(study)
    result = ingest(study, force=True, dry_run=True)
    assert [o.segment_ids for o in result.orphaned] == [("P07-0004",)]
    assert coder_file.read_bytes() == before
    assert not (study.codings_dir / "orphaned").exists()


def test_a_file_without_labels_is_warned_about_by_name(study):
    add(study, "no_labels.txt", "P08.txt")
    result = ingest(study)
    warning = next(w for w in result.warnings if "no speaker labels" in w)
    assert "P08.txt" in warning
    assert [r["speaker"] for r in rows(study) if r["document"] == "P08"] == ["unknown"] * 3


def test_guessed_encodings_are_reported(study):
    add(study, "cp1252.txt", "P08.txt")
    result = ingest(study)
    doc = next(d for d in result.documents if d.document == "P08")
    assert (doc.encoding, doc.encoding_guessed) == ("cp1252", True)
    assert any("Windows-1252" in w and "P08.txt" in w for w in result.warnings)


def test_participants_matched_by_file_column_and_unmatched_ones_listed(project):
    participants(
        project, "participant_id,group,file\nP01,clinical,interview one.txt\nP02,clinical,\nP03,x,\n"
    )
    add(project, "P07.txt", "interview one.txt")
    add(project, "otter.txt", "stranger.txt")
    add(project, "focus_group.txt", "other.txt")
    result = ingest(project)
    assert {d.document: d.participant_id for d in result.documents} == {
        "interview one": "P01",
        "other": "",
        "stranger": "",
    }
    unmatched = [w for w in result.warnings if w.startswith("no row in participants.csv")]
    assert len(unmatched) == 1 and "other.txt, stranger.txt" in unmatched[0]
    missing = [w for w in result.warnings if "have no transcript" in w]
    assert len(missing) == 1 and "P02, P03" in missing[0]
    assert rows(project)[0]["segment_id"] == "interview one-0001"


def test_duplicate_participant_ids_are_an_error(study):
    participants(study, "participant_id,group\nP07,a\nP07,b\n")
    with pytest.raises(ProjectError, match="more than once"):
        ingest(study)


def test_two_files_with_one_name_are_an_error(study):
    add(study, "otter.txt", "sub/P07.md")
    with pytest.raises(TranscriptError, match="would both be document 'P07'"):
        ingest(study)


def test_the_unit_setting_splits_turns_and_keeps_ids(study):
    study = set_unit(study, "sentence")
    result = ingest(study)
    p07 = [r for r in rows(study) if r["document"] == "P07"]
    assert len(p07) == 12
    assert p07[2]["text"] == "Sure."
    assert [r["seq"] for r in p07] == [str(n) for n in range(1, 13)]
    assert result.documents[0].participant_turns == 3  # turns, not sentences


def test_the_paragraph_unit(study):
    study = set_unit(study, "paragraph")
    ingest(study)
    p07 = [r["text"] for r in rows(study) if r["document"] == "P07"]
    assert len(p07) == 7
    assert p07[2] == "And honestly, I still feel more like a nurse than a “leader”."


def test_times_are_written_as_hh_mm_ss_mmm(project):
    add(project, "zoom.vtt", "P05.vtt")
    ingest(project)
    table = rows(project)
    assert [(r["start"], r["end"]) for r in table] == [
        ("00:00:01.230", "00:00:04.560"),
        ("00:00:05.000", "00:00:15.000"),
        ("00:07:20.000", "00:07:25.250"),
    ]
    assert [r["speaker_role"] for r in table] == ["interviewer", "participant", "interviewer"]


def test_focus_group_speakers_each_keep_their_label(project):
    settings = project.settings_path.read_text(encoding="utf-8")
    project.settings_path.write_text(settings.replace("- Q\n", "- Q\n- Moderator\n"), encoding="utf-8")
    project = open_project(project.root)
    add(project, "focus_group.txt", "FG1.txt")
    ingest(project)
    table = rows(project)
    assert [(r["speaker"], r["speaker_role"]) for r in table][:5] == [
        ("Moderator", "interviewer"),
        ("Ana", "participant"),
        ("Ben", "participant"),
        ("Chloe", "participant"),
        ("Dev", "participant"),
    ]


def test_progress_is_reported_per_file(study):
    calls = []
    ingest(study, progress=lambda done, total, name: calls.append((done, total, name)))
    assert calls == [(1, 2, "P07.txt"), (2, 2, "P09.docx")]


def test_an_empty_folder_is_an_error(project):
    with pytest.raises(TranscriptError, match="no transcripts found"):
        ingest(project)


def test_segments_read_back_with_the_core_reader(study):
    ingest(study)
    frame = read_segments(study.segments_path)
    assert list(frame.columns) == SEGMENT_COLUMNS
    assert frame["seq"].dtype.kind == "i"


def test_a_new_participants_row_updates_segments_without_orphaning(study):
    participants(study, "participant_id,group\nP09,non-clinical\n")
    ingest(study)
    _code(study, "reviewer1", ["P07-0002"])
    participants(study, "participant_id,group\nP07,clinical\nP09,non-clinical\n")
    result = ingest(study)
    assert {d.document: d.status for d in result.documents} == {"P07": "updated", "P09": "unchanged"}
    assert result.orphaned == ()
    assert {r["participant_id"] for r in rows(study) if r["document"] == "P07"} == {"P07"}


def test_a_file_that_is_gone_is_reported_and_its_segments_kept(study):
    ingest(study)
    (study.transcripts_dir / "P09.docx").unlink()
    result = ingest(study)
    assert any("no longer have their file (P09)" in w for w in result.warnings)
    assert {r["document"] for r in rows(study)} == {"P07", "P09"}


def test_a_single_file_can_be_ingested(study):
    result = ingest(study, study.transcripts_dir / "P07.txt")
    assert [d.file for d in result.documents] == ["P07.txt"]


def test_python_docx_is_imported_only_when_a_docx_is_present(project):
    import subprocess
    import sys

    add(project, "P07.txt")
    code = (
        "import sys; from slqual.project import open_project; from slqual.ingest import ingest; "
        f"ingest(open_project({str(project.root)!r})); print('docx' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_document_without_interviewer_is_warned_about(project):
    add(project, "teams.vtt", "P05.vtt")
    add(project, "focus_group.txt", "FG1.txt")
    result = ingest(project)
    warning = next(w for w in result.warnings if w.startswith("no interviewer found"))
    assert "FG1.txt (Moderator, Ana, Ben, Chloe)" in warning
    assert "P05.vtt" not in warning  # its interviewer is labelled Interviewer


def test_ingesting_the_project_folder_itself_leaves_out_its_own_files(study):
    ingest(study)
    (study.reports_dir).mkdir(exist_ok=True)
    (study.reports_dir / "report.md").write_text("# Report\n\nP07: not a transcript\n", encoding="utf-8")
    (study.codings_dir / "notes.txt").write_text("Interviewer: not a transcript\n", encoding="utf-8")
    result = ingest(study, study.root)
    assert sorted(d.document for d in result.documents) == ["P07", "P09"]
    assert not any("codebook.yaml" in w or "segments.csv" in w for w in result.warnings)


def test_files_gone_are_noticed_when_the_project_folder_is_ingested(study):
    ingest(study)
    (study.transcripts_dir / "P09.docx").unlink()
    result = ingest(study, study.root)
    assert any("no longer have their file (P09)" in w for w in result.warnings)


def test_a_missing_group_column_is_warned_about(project):
    participants(project, "participant_id,role\nP07,Nurse\n")
    add(project, "P07.txt")
    result = ingest(project)
    assert any("no 'group' column" in w for w in result.warnings)
    assert [g.group for g in result.groups] == [""]

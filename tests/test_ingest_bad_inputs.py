"""Bad inputs a researcher meets: each is one plain line naming the file, exit 2, the project untouched.

Also the fixes found by ingesting real transcripts: encodings saved without a byte order mark
or by an old Mac, a think-aloud session with only one labelled speaker, and participants.csv
saved by Excel with semicolons.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from slqual.cli.main import app
from slqual.errors import ProjectError, TranscriptError
from slqual.ingest import ingest
from slqual.transcripts import archive
from slqual.transcripts.base import reader_for
from slqual.transcripts.encoding import decode
from slqual.transcripts.labels import SpeakerRules
from slqual.transcripts.text import TextReader
from slqual.transcripts.turns import build_turns

DATA = Path(__file__).parent / "data" / "transcripts"
PYTHON_NAMES = re.compile(r"\w+Error\b|Exception|Forbidden|Traceback|\w+\(name=|lxml|<string>")


def read(name: str):
    path = DATA / name
    transcript = reader_for(path).read(path.read_bytes(), name, SpeakerRules())
    return transcript, build_turns(transcript.utterances, SpeakerRules(), transcript.labelled)


@pytest.fixture
def study(project):
    project.participants_path.write_text("participant_id,group\nP07,clinical\n", encoding="utf-8")
    shutil.copyfile(DATA / "P07.txt", project.transcripts_dir / "P07.txt")
    ingest(project)
    return project


def snapshot(project) -> dict[str, bytes]:
    """Every file ingest may write, byte for byte (the audit log aside)."""
    files = [project.segments_path, *project.internal_dir.rglob("*"), *project.codings_dir.rglob("*")]
    return {str(p): p.read_bytes() for p in files if p.is_file() and p.name != "audit.log"}


def bomb_docx(path: Path, megabytes: int) -> None:
    """A .docx whose text part unpacks to ``megabytes`` of spaces (written in chunks, a few KB on disk)."""
    with (
        zipfile.ZipFile(DATA / "bold_labels.docx") as old,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            if info.filename != "word/document.xml":
                new.writestr(info, old.read(info))
        with new.open("word/document.xml", "w") as part:
            part.write(b"<w:document>")
            for _ in range(megabytes):
                part.write(b" " * archive.MB)


BAD_FILES = [
    ("entities.docx", "declares XML entities"),
    ("external_entity.docx", "declares XML entities"),
    ("entities.odt", "declares XML entities"),
    ("external_entity.odt", "declares XML entities"),
    ("truncated.docx", "damaged"),
    ("really_a_doc.docx", "old-style Word .doc"),
    ("corrupt.docx", "damaged"),
    ("binary.txt", "binary data"),
    ("empty.txt", "empty"),
    ("latin.txt", "line 1: cannot be read"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD_FILES)
def test_each_bad_file_is_one_plain_line_exit_2_and_the_project_unchanged(runner, study, bad, reason):
    before = snapshot(study)
    target = study.transcripts_dir / f"P99{Path(bad).suffix}"
    shutil.copyfile(DATA / "bad" / bad, target)
    result = runner.invoke(app, ["ingest", "-p", str(study.root)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {target.name}")
    assert reason in lines[0] and "; " in lines[0]  # then what to do
    assert not PYTHON_NAMES.search(result.stderr), result.stderr
    assert result.stdout == ""
    assert snapshot(study) == before


def test_a_zip_bomb_docx_is_refused_by_its_size_without_unpacking_it(tmp_path, monkeypatch):
    path = tmp_path / "P99.docx"
    bomb_docx(path, megabytes=archive.MAX_XML_PART // archive.MB + 1)
    assert path.stat().st_size < 2 * archive.MB
    opened: list[str] = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile,
        "open",
        lambda self, name, *a, **k: opened.append(str(name)) or real_open(self, name, *a, **k),
    )
    with pytest.raises(TranscriptError) as caught:
        reader_for(path).read(path.read_bytes(), path.name, SpeakerRules())
    message = str(caught.value)
    assert message.startswith("P99.docx: part 'word/document.xml' would unpack to 65 MB")
    assert "save it again as .docx" in message
    assert not [name for name in opened if "document.xml" in name]


def test_a_zip_bomb_odt_is_refused_too(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_XML_PART", 1024)
    path = tmp_path / "P99.odt"
    with (
        zipfile.ZipFile(DATA / "focus_group.odt") as old,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, data + b" " * 4096 if info.filename == "content.xml" else data)
    with pytest.raises(TranscriptError, match=r"P99.odt: part 'content.xml' would unpack to"):
        reader_for(path).read(path.read_bytes(), path.name, SpeakerRules())


def test_a_huge_text_file_is_refused_before_it_is_read(study, monkeypatch):
    monkeypatch.setattr(TextReader, "max_bytes", 1000)
    before = snapshot(study)
    (study.transcripts_dir / "P98.txt").write_text("Interviewer: hello\n" * 200, encoding="utf-8")
    real_read = Path.read_bytes
    monkeypatch.setattr(
        Path,
        "read_bytes",
        lambda self: pytest.fail("P98.txt was read") if self.name == "P98.txt" else real_read(self),
    )
    with pytest.raises(TranscriptError) as caught:
        ingest(study)
    assert str(caught.value).startswith("P98.txt: ")
    assert "far larger than an interview transcript" in str(caught.value)
    assert "split it" in str(caught.value)
    assert snapshot(study) == before


def test_the_size_limits_leave_room_for_real_transcripts():
    assert reader_for("a.txt").max_bytes == reader_for("a.vtt").max_bytes == 20 * archive.MB
    assert reader_for("a.docx").max_bytes == reader_for("a.odt").max_bytes == 100 * archive.MB


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("utf16le_nobom.txt", "utf-16-le"), ("utf16be_nobom.txt", "utf-16-be"), ("mac_roman.txt", "mac_roman")],
)
def test_files_without_a_bom_or_from_old_macs_are_read_right_and_reported_as_guessed(name, encoding):
    transcript, turns = read(name)
    assert (transcript.encoding, transcript.encoding_guessed) == (encoding, True)
    assert [t.speaker for t in turns] == ["Interviewer", "P08", "Interviewer"]
    assert "In Manchester – it’s where I met my “mentor”…" in turns[1].text


def test_windows_1252_is_still_read_as_windows_1252():
    transcript, turns = read("cp1252.txt")
    assert transcript.encoding == "cp1252"
    assert "it’s where I met my “mentor”…" in turns[1].text


def test_the_guessed_encoding_is_named_in_the_warning(study):
    shutil.copyfile(DATA / "mac_roman.txt", study.transcripts_dir / "P08.txt")
    shutil.copyfile(DATA / "utf16le_nobom.txt", study.transcripts_dir / "P09.txt")
    result = ingest(study)
    assert any(w.startswith("encoding guessed as Mac Roman for P08.txt") for w in result.warnings)
    assert any(
        w.startswith("encoding guessed as UTF-16 without a byte order mark for P09.txt")
        for w in result.warnings
    )


def test_a_think_aloud_with_one_labelled_speaker_is_warned_about(study):
    """Only the moderator is labelled: the participant's speech after it must not pass silently."""
    shutil.copyfile(DATA / "think_aloud.odt", study.transcripts_dir / "P08.odt")
    result = ingest(study)
    doc = next(d for d in result.documents if d.document == "P08")
    assert doc.speakers == ("MODERATOR",)
    warning = next(w for w in result.warnings if w.startswith("only one speaker label found"))
    assert "P08.odt (MODERATOR)" in warning and "add their label" in warning
    # the prompts and speech before the first label are not turns, and their word count is warned about
    assert doc.title_words == 62
    assert any(w.startswith("P08.odt: 62 words before the first speaker label") for w in result.warnings)


def test_an_interview_with_two_speakers_gets_no_one_speaker_warning(study):
    result = ingest(study)
    assert not any("only one speaker" in w for w in result.warnings)


def test_participants_saved_by_excel_with_semicolons_and_a_bom(study):
    study.participants_path.write_bytes(
        b"\xef\xbb\xbfparticipant_id;group;role\r\nP07;clinical;GP\r\nP08;non-clinical;manager\r\n"
    )
    result = ingest(study)
    doc = next(d for d in result.documents if d.document == "P07")
    assert (doc.participant_id, doc.group) == ("P07", "clinical")


def test_a_file_column_naming_a_missing_file_is_listed_with_that_name(study):
    study.participants_path.write_text(
        "participant_id,group,file\nP07,clinical,P07.txt\nP99,clinical,interview 99.docx\n", encoding="utf-8"
    )
    result = ingest(study)
    assert any("have no transcript: P99 (file 'interview 99.docx')" in w for w in result.warnings)


def test_a_file_name_with_spaces_and_accents_is_a_document(study):
    from slqual.segments import read_project_segments

    shutil.copyfile(DATA / "P07.txt", study.transcripts_dir / "Entretien Zoé 3.txt")
    result = ingest(study)
    assert "Entretien Zoé 3" in {d.document for d in result.documents}
    segments = read_project_segments(study)
    assert "Entretien Zoé 3-0001" in set(segments["segment_id"])


def test_help_has_an_example_and_short_paragraphs(runner):
    result = runner.invoke(app, ["ingest", "--help"])
    assert result.exit_code == 0
    assert "Example: slqual ingest" in result.stdout
    assert "tables, or\n" not in result.stdout


def test_word_tracked_insertions_links_smart_tags_and_fields_are_text_and_deletions_are_not():
    transcript, turns = read("tracked_changes.docx")
    assert [t.speaker for t in turns] == ["Interviewer", "P12", "Interviewer"]
    assert turns[1].text == "At [Hospital X], near the coast. See the report of May."
    assert "Mary" not in " ".join(t.text for t in turns)
    assert turns[2].text == "Thank you."  # the label was typed as a tracked insertion


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (
            lambda text: text.replace(",P07,2,", ",P07,two,", 1),
            "segments.csv, line 3: seq 'two' is not a number",
        ),
        (lambda text: text + "P99-0001,P99,,1,x\n", "has 5 columns, not the 9 of segments.csv"),
    ],
)
def test_a_damaged_segments_csv_is_named_with_its_line_in_plain_words(study, damage, expected):
    study.segments_path.write_text(damage(study.segments_path.read_text(encoding="utf-8")), encoding="utf-8")
    before = snapshot(study)
    with pytest.raises(ProjectError) as caught:
        ingest(study)
    assert expected in str(caught.value) and "run 'slqual ingest' again" in str(caught.value)
    assert not PYTHON_NAMES.search(str(caught.value)) and "int()" not in str(caught.value)
    assert snapshot(study) == before


def test_a_segments_csv_that_is_not_utf8_is_named(study):
    study.segments_path.write_bytes(study.segments_path.read_bytes() + b"\xff\xfe")
    with pytest.raises(ProjectError, match=r"segments.csv: is not UTF-8 text \(byte \d+\)"):
        ingest(study)


def test_a_damaged_manifest_is_named_in_plain_words(study):
    (study.internal_dir / "manifest.json").write_text("{bad", encoding="utf-8")
    with pytest.raises(ProjectError) as caught:
        ingest(study)
    assert "manifest.json, line 1: the ingest manifest is damaged" in str(caught.value)
    assert "Expecting" not in str(caught.value)


def test_a_damaged_manifest_stops_a_single_file_ingest_before_anything_is_written(study, tmp_path):
    (study.internal_dir / "manifest.json").write_text("{bad", encoding="utf-8")
    new = tmp_path / "P08.txt"
    new.write_text("Interviewer: Hello?\n\nP08: Hello.\n", encoding="utf-8")
    before = snapshot(study)
    with pytest.raises(ProjectError, match="the ingest manifest is damaged"):
        ingest(study, new)
    assert snapshot(study) == before


def test_a_folder_of_only_other_files_says_how_to_make_them_readable(runner, study, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "P01.doc").write_bytes(b"old word")
    (folder / "notes.pdf").write_bytes(b"%PDF")
    result = runner.invoke(app, ["ingest", str(folder), "-p", str(study.root)])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "\n" not in line and "no transcripts found" in line
    assert "P01.doc, notes.pdf" in line and "save .doc as .docx" in line


def test_a_folder_that_does_not_exist_is_one_line(runner, study, tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "nowhere"), "-p", str(study.root)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "folder not found" in result.stderr


def test_force_keeps_columns_a_coder_added_by_hand_in_the_orphaned_file(study):
    coder_file = study.coder_path("reviewer2")
    coder_file.parent.mkdir(exist_ok=True)
    coder_file.write_text("segment_id,code,my_note\nP07-0004,motivation,ask about this\n", encoding="utf-8")
    p07 = study.transcripts_dir / "P07.txt"
    p07.write_text(
        p07.read_text(encoding="utf-8")
        .replace("Interviewer:", "Interviewer: Hi?\n\nP07: Hello.\n\nInterviewer:", 1)
        .replace("Mostly informally…\nWe have a huddle on Tuesdays.", "Rarely, to be honest."),
        encoding="utf-8",
    )
    with pytest.raises(TranscriptError, match=r"reviewer2: P07-0004"):
        ingest(study)
    result = ingest(study, force=True)
    [moved] = result.orphaned
    orphaned = (study.root / moved.moved_to).read_text(encoding="utf-8").splitlines()
    assert orphaned[0].startswith("segment_id,code,coder,coded_at,memo,exemplar,quote,my_note,old_text")
    assert orphaned[1].startswith("P07-0004,motivation,reviewer2,,,,,ask about this,")


def test_force_keeps_columns_a_coder_added_by_hand_in_the_coder_file(study):
    coder_file = study.coder_path("reviewer2")
    coder_file.parent.mkdir(exist_ok=True)
    coder_file.write_text(
        "segment_id,code,my_note\nP07-0002,motivation,keep me\nP07-0004,motivation,ask about this\n",
        encoding="utf-8",
    )
    p07 = study.transcripts_dir / "P07.txt"
    p07.write_text(  # P07-0002 keeps its words, P07-0004's words are gone
        p07.read_text(encoding="utf-8")
        .replace(
            "Interviewer: How do you share",
            "Interviewer: A new question.\n\nP07: A new answer.\n\nInterviewer: How do you share",
        )
        .replace("Mostly informally…\nWe have a huddle on Tuesdays.", "Rarely, to be honest."),
        encoding="utf-8",
    )
    [moved] = ingest(study, force=True).orphaned
    assert moved.segment_ids == ("P07-0004",)
    kept = coder_file.read_text(encoding="utf-8").splitlines()
    assert kept[0] == "segment_id,code,coder,coded_at,memo,exemplar,quote,my_note"
    assert kept[1:] == ["P07-0002,motivation,reviewer2,,,,,keep me"]


@pytest.mark.parametrize(
    "text",
    [
        "P01: L’ÉCOLE de Òscar i PÕE – “oui”… c’est ça.\n",  # cp1252 punctuation and capitals
        # capitals that Mac Roman would misread, and straight quotes
        'P01: ÉCOLE, Òscar, PÕE, INFORMAÇÕES, "straight" quotes only.\n',
    ],
)
def test_windows_1252_capitals_are_not_mistaken_for_mac_roman(text):
    decoded = decode(text.encode("cp1252"), "P01.txt")
    assert (decoded.text, decoded.encoding) == (text, "cp1252")


@pytest.mark.parametrize(
    ("start", "kind"),
    [
        ((DATA / "bold_labels.docx").read_bytes(), "a zip archive"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(600), "an old Word .doc file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF"),
        (b"{\\rtf1\\ansi\\deff0 {\\fonttbl}Interviewer: hi}", "a Rich Text (RTF) file"),
    ],
)
def test_another_kind_of_file_named_txt_says_what_it_is(start, kind):
    with pytest.raises(TranscriptError) as caught:
        decode(start, "P01.txt")
    assert str(caught.value).startswith(f"P01.txt: is {kind}")
    assert ", not plain text; " in str(caught.value)


def test_a_docx_with_damaged_xml_inside_is_one_plain_line(tmp_path):
    path = tmp_path / "P01.docx"
    with zipfile.ZipFile(DATA / "bold_labels.docx") as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            damaged = info.filename == "word/document.xml"
            new.writestr(info, b"<w:document><w:body><w:p>unclosed" if damaged else old.read(info))
    with pytest.raises(TranscriptError) as caught:
        reader_for(path).read(path.read_bytes(), path.name, SpeakerRules())
    message = str(caught.value)
    assert message.startswith("P01.docx: not a readable Word file (the text inside it is damaged, line 1")
    assert message.endswith("open it in Word and save it again as .docx")
    assert not PYTHON_NAMES.search(message)


def test_many_parts_that_unpack_too_large_together_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_UNPACKED", 64 * 1024)
    path = tmp_path / "P01.docx"
    with (
        zipfile.ZipFile(DATA / "bold_labels.docx") as old,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            new.writestr(info, old.read(info))
        for number in range(5):
            new.writestr(f"word/media/image{number}.png", bytes(20 * 1024))
    with pytest.raises(
        TranscriptError, match=r"^P01.docx: its parts would unpack to \d+ KB or more, far more"
    ):
        reader_for(path).read(path.read_bytes(), path.name, SpeakerRules())


def test_an_odt_with_damaged_xml_inside_is_one_plain_line(tmp_path):
    path = tmp_path / "P01.odt"
    with zipfile.ZipFile(DATA / "focus_group.odt") as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            damaged = info.filename == "content.xml"
            new.writestr(
                info,
                b"<?xml version='1.0'?>\n<office:document-content><text:p>" if damaged else old.read(info),
            )
    with pytest.raises(TranscriptError) as caught:
        reader_for(path).read(path.read_bytes(), path.name, SpeakerRules())
    message = str(caught.value)
    assert message.startswith(
        "P01.odt: not a readable OpenDocument file (the text inside it is damaged, line 2"
    )
    assert "well-formed" not in message and message.endswith("save it again as .odt")

"""REFI-QDA project export (.qdpx): validates, is byte-stable, places selections on segments, round-trips."""

from __future__ import annotations

import shutil
import sys
import types
import xml.etree.ElementTree as ET
import zipfile

import pytest
from conftest import EXAMPLE_STUDY
from qdpx_fixtures import coded_rows, make_project

from slqual.cli.main import app
from slqual.errors import ProjectError
from slqual.ingest import ingest
from slqual.interop.qdc import guid_for
from slqual.interop.qdpx.build import import_qdpx
from slqual.interop.qdpx.export import build_qdpx, export_qdpx, validate_qde
from slqual.interop.qdpx.model import SCHEMA_PATH, QdpxError, guid
from slqual.project import init_project, open_project
from slqual.segments import read_project_segments

NS = {"q": "urn:QDA-XML:project:1.0"}


def unzip(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sources_by_name(files):
    root = ET.fromstring(files["project.qde"])
    texts = {}
    for source in root.iterfind(".//q:TextSource", NS):
        entry = "sources/" + source.get("plainTextPath").removeprefix("internal://")
        texts[source.get("name")] = (source, files[entry].decode("utf-8"))
    return root, texts


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    project = init_project(tmp_path_factory.mktemp("example") / "study")
    for name in ("slqual.yaml", "participants.csv"):
        shutil.copy(EXAMPLE_STUDY / name, project.root / name)
    for coder in ("reviewer1", "reviewer2"):
        shutil.copy(EXAMPLE_STUDY / "codings" / f"{coder}.csv", project.coder_path(coder))
    project = open_project(project.root)
    ingest(project, EXAMPLE_STUDY / "transcripts")
    return project


def test_project_schema_is_shipped_with_its_licence():
    text = SCHEMA_PATH.read_text(encoding="utf-8")
    assert "MIT license" in text and "Copyright 2019 REFI" in text and 'name="Project"' in text


def test_example_study_export_validates_and_is_byte_identical_twice(example, tmp_path):
    first = export_qdpx(example, tmp_path / "a.qdpx")
    export_qdpx(example, tmp_path / "b.qdpx")
    a, b = unzip(tmp_path / "a.qdpx"), unzip(tmp_path / "b.qdpx")
    validate_qde(a["project.qde"])
    assert a["project.qde"] == b["project.qde"]
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()
    assert first.documents == 20 and first.coders == ("reviewer1", "reviewer2") and first.cases == 20
    assert len([n for n in a if n.startswith("sources/")]) == 20


def test_every_selection_covers_exactly_its_segment(example):
    from slqual.segments import read_project_segments

    qde, files, _ = build_qdpx(example)
    segments = read_project_segments(example).set_index("segment_id")
    root = ET.fromstring(qde)
    texts = {name.removesuffix(".txt"): data.decode() for name, data in files}
    checked = 0
    for source in root.iterfind(".//q:TextSource", NS):
        text = texts[source.get("plainTextPath").removeprefix("internal://").removesuffix(".txt")]
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == segments.loc[selection.get("name"), "text"]
            checked += 1
    assert checked > 500


def test_sources_hold_speaker_labels_users_codings_quotes_and_memos(tmp_path):
    project = make_project(tmp_path)
    export_qdpx(project, tmp_path / "s.qdpx")
    files = unzip(tmp_path / "s.qdpx")
    validate_qde(files["project.qde"])
    root, texts = sources_by_name(files)
    source, text = texts["P01"]
    assert text.startswith("Interviewer: How did you come to the role?\n\nP01: Honestly by accident.")
    users = {u.get("name"): u.get("guid") for u in root.iterfind(".//q:User", NS)}
    assert users == {"reviewer1": guid("user", "reviewer1"), "reviewer2": guid("user", "reviewer2")}
    # reviewer1 marked a quote on P01-0004: a description, never a second coding
    marked = [
        s for s in source.iterfind("q:PlainTextSelection", NS) if s.get("creatingUser") == users["reviewer1"]
    ]
    quoted = next(s for s in marked if s.get("name") == "P01-0004")
    assert quoted.findtext("q:Description", namespaces=NS) == "Quote: Some days I feel like a traitor."
    assert len(quoted.findall("q:Coding", NS)) == 1
    coding = quoted.find("q:Coding", NS)
    assert coding.find("q:CodeRef", NS).get("targetGUID") == guid_for("motivation.dual_role_conflict")
    assert coding.get("creationDateTime") == "2025-04-22T09:01:10Z"
    # reviewer2 coded one segment with two codes: one selection, two codings
    both = [
        s
        for s in source.iterfind("q:PlainTextSelection", NS)
        if s.get("creatingUser") == users["reviewer2"] and s.get("name") == "P01-0004"
    ]
    assert len(both) == 1 and len(both[0].findall("q:Coding", NS)) == 2
    # memos are notes referenced from the coding
    notes = {
        n.get("guid"): n.findtext("q:PlainTextContent", namespaces=NS) for n in root.iterfind(".//q:Note", NS)
    }
    assert sorted(notes.values()) == ["clear case", "two hats"]
    refs = [r.get("targetGUID") for r in root.iterfind(".//q:Coding/q:NoteRef", NS)]
    assert sorted(refs) == sorted(notes)


def test_participants_become_cases_with_variables_linked_to_their_sources(tmp_path):
    project = make_project(tmp_path)
    root = ET.fromstring(build_qdpx(project)[0])
    variables = {v.get("guid"): v.get("name") for v in root.iterfind(".//q:Variable", NS)}
    assert sorted(variables.values()) == ["group", "role"]
    cases = {c.get("name"): c for c in root.iterfind(".//q:Case", NS)}
    assert set(cases) == {"P01", "P02"}
    values = {
        variables[v.find("q:VariableRef", NS).get("targetGUID")]: v.findtext("q:TextValue", namespaces=NS)
        for v in cases["P02"].iterfind("q:VariableValue", NS)
    }
    assert values == {"group": "non-clinical", "role": "Finance lead"}
    assert [r.get("targetGUID") for r in cases["P02"].iterfind("q:SourceRef", NS)] == [guid("source", "P02")]


def test_focus_group_cases_link_to_their_own_speakers_selections(tmp_path):
    from slqual.segments import read_segments, write_segments

    project = make_project(tmp_path)
    segments = read_segments(project.segments_path)
    # a focus group: P02's file holds turns by two participants
    segments.loc[segments["segment_id"] == "P02-0004", "participant_id"] = "P03"
    write_segments(project.segments_path, segments)
    with open(project.participants_path, "a", encoding="utf-8") as handle:
        handle.write("P03,non-clinical,Manager\n")
    qde = build_qdpx(project)[0]
    validate_qde(qde)
    root = ET.fromstring(qde)
    cases = {c.get("name"): c for c in root.iterfind(".//q:Case", NS)}
    names = {s.get("guid"): s.get("name") for s in root.iterfind(".//q:PlainTextSelection", NS)}
    p3 = [names[r.get("targetGUID")] for r in cases["P03"].iterfind("q:SelectionRef", NS)]
    p2 = [names[r.get("targetGUID")] for r in cases["P02"].iterfind("q:SelectionRef", NS)]
    assert p3 == ["P02-0004"] and p2 == ["P02-0002"]
    assert not cases["P01"].findall("q:SelectionRef", NS)  # a one-to-one interview: the source link suffices


def test_export_reports_what_has_no_place_in_the_format(tmp_path):
    result = build_qdpx(make_project(tmp_path))[2]
    assert any("1 row(s) saying 'read, no code applies'" in line for line in result.not_exported)
    assert any("1 exemplar mark(s)" in line for line in result.not_exported)
    assert result.redacted is False


def test_only_the_named_coders_are_exported(tmp_path):
    root = ET.fromstring(build_qdpx(make_project(tmp_path), coders=["reviewer2"])[0])
    assert [u.get("name") for u in root.iterfind(".//q:User", NS)] == ["reviewer2"]


def test_the_output_must_end_in_qdpx(tmp_path):
    with pytest.raises(QdpxError, match=r"must end in \.qdpx"):
        export_qdpx(make_project(tmp_path), tmp_path / "study.zip")


class FakeRedactor:
    empty = False

    def apply(self, text: str) -> str:
        return text.replace("Millbeck Surgery", "[practice]").replace("P01", "Participant A")


@pytest.fixture
def fake_redact(monkeypatch):
    module = types.ModuleType("slqual.redact")
    module.load_redactor = lambda project: FakeRedactor()
    monkeypatch.setitem(sys.modules, "slqual.redact", module)


def test_redact_applies_to_text_and_offsets_follow_the_redacted_text(tmp_path, fake_redact):
    project = make_project(tmp_path)
    result = export_qdpx(project, tmp_path / "r.qdpx", redact=True)
    assert result.redacted
    files = unzip(tmp_path / "r.qdpx")
    validate_qde(files["project.qde"])
    _, texts = sources_by_name(files)
    source, text = texts["P01"]
    assert "Millbeck" not in text and "[practice]" in text and "Participant A: Honestly" in text
    for selection in source.iterfind("q:PlainTextSelection", NS):
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        assert text[start - 2 : start] == ": " and text[end : end + 1] == "\n"
    assert any(text[int(s.get("startPosition")) :].startswith("Honestly") for s in source)


def test_without_redact_the_text_is_unchanged(tmp_path, fake_redact):
    project = make_project(tmp_path)
    export_qdpx(project, tmp_path / "r.qdpx")
    _, texts = sources_by_name(unzip(tmp_path / "r.qdpx"))
    assert "Millbeck Surgery" in texts["P01"][1]


def test_redact_without_the_redaction_module_says_it_is_unavailable(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "slqual.redact", None)  # importing it raises ImportError
    with pytest.raises(ProjectError, match="redaction is unavailable"):
        export_qdpx(make_project(tmp_path), tmp_path / "r.qdpx", redact=True)
    assert not (tmp_path / "r.qdpx").exists()


def test_cli_says_whether_the_text_was_redacted(tmp_path, runner, fake_redact):
    project = make_project(tmp_path)
    plain = runner.invoke(app, ["export", "qdpx", "-o", str(tmp_path / "a.qdpx"), "-p", str(project.root)])
    assert plain.exit_code == 0, plain.output
    assert "not redacted" in plain.output and "2 coder(s) (reviewer1, reviewer2)" in plain.output
    redacted = runner.invoke(
        app, ["export", "qdpx", "-o", str(tmp_path / "b.qdpx"), "-p", str(project.root), "--redact"]
    )
    assert redacted.exit_code == 0, redacted.output
    assert "Text was redacted with the project's redact.csv" in redacted.output


def test_export_import_export_keeps_codings_codebook_and_attributes(tmp_path):
    from slqual.codebook import load_project_codebook
    from slqual.participants import read_project_participants

    original = make_project(tmp_path / "a")
    first = tmp_path / "first.qdpx"
    export_qdpx(original, first)
    result = import_qdpx(first, tmp_path / "b" / "study", ids_from=original.codebook_path)
    back = open_project(result.project)
    assert result.skipped == ()
    assert coded_rows(back) == coded_rows(original)
    assert read_project_participants(back).equals(read_project_participants(original))
    assert load_project_codebook(back).ids() == load_project_codebook(original).ids()
    second = tmp_path / "second.qdpx"
    export_qdpx(back, second)
    assert unzip(first) == unzip(second)  # same folder name, same everything


def test_example_study_round_trips(example, tmp_path):
    from slqual.participants import read_project_participants
    from slqual.segments import read_project_segments

    export_qdpx(example, tmp_path / "x.qdpx")
    back = open_project(
        import_qdpx(tmp_path / "x.qdpx", tmp_path / "back", ids_from=example.codebook_path).project
    )
    assert coded_rows(back) == coded_rows(example)
    assert read_project_participants(back).equals(read_project_participants(example))
    assert list(read_project_segments(back)["text"]) == list(read_project_segments(example)["text"])


def test_a_transcript_without_labels_goes_out_without_labels_and_comes_back_the_same(tmp_path):
    from slqual.segments import read_project_segments

    project = make_project(tmp_path / "a")
    (project.transcripts_dir / "notes.txt").write_text(
        "First paragraph about time.\n\nSecond paragraph about money.\n", encoding="utf-8"
    )
    ingest(project)
    export_qdpx(project, tmp_path / "x.qdpx")
    _, texts = sources_by_name(unzip(tmp_path / "x.qdpx"))
    assert texts["notes"][1] == "First paragraph about time.\n\nSecond paragraph about money.\n"
    back = open_project(import_qdpx(tmp_path / "x.qdpx", tmp_path / "b" / "study").project)
    segments = read_project_segments(back)
    assert list(segments.loc[segments["document"] == "notes", "text"]) == [
        "First paragraph about time.",
        "Second paragraph about money.",
    ]


def test_an_empty_redact_list_is_said_to_change_nothing(tmp_path, monkeypatch):
    class Empty:
        empty = True

        def apply(self, text):
            return text

    module = types.ModuleType("slqual.redact")
    module.load_redactor = lambda project: Empty()
    monkeypatch.setitem(sys.modules, "slqual.redact", module)
    result = export_qdpx(make_project(tmp_path), tmp_path / "e.qdpx", redact=True)
    assert result.warnings == ("redact.csv lists nothing to replace, so the text went out unchanged",)


def test_segment_times_are_reported_as_not_exported(example):
    lost = build_qdpx(example)[2].not_exported
    assert any(line.startswith("the times of ") for line in lost)


def test_by_default_the_people_are_exported_not_the_pseudo_coders(tmp_path):
    project = make_project(tmp_path)
    people = sorted(project.coders())
    auto = project.coder_path("auto")
    auto.write_text(
        "segment_id,code,coder,memo\n"
        f"{read_project_segments(project)['segment_id'].iloc[0]},motivation,auto,keyword pre-coding: x\n",
        encoding="utf-8",
    )
    root = ET.fromstring(build_qdpx(project)[0])
    assert sorted(u.get("name") for u in root.iterfind(".//q:User", NS)) == people

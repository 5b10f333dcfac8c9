"""REFI-QDA project import (.qdpx): another tool's file mapped onto segments, what is skipped, hostile files."""
# ruff: noqa: E501  (hand-written XML reads best one element a line)

from __future__ import annotations

import zipfile

import pytest
from qdpx_fixtures import (
    CODE_FUHRUNG,
    CODE_KONFLIKT,
    CODE_ZUFALL,
    FOREIGN_TEXT,
    SOURCE,
    USER_A,
    USER_B,
    foreign_qde,
    selection,
    span,
    write_qdpx,
)

from slqual.cli.main import app
from slqual.codings import read_coding
from slqual.interop.qdpx import archive as safety
from slqual.interop.qdpx.build import import_qdpx
from slqual.interop.qdpx.model import QdpxError
from slqual.participants import read_project_participants
from slqual.project import open_project
from slqual.segments import read_project_segments


def foreign(tmp_path, selections: str, **kwargs):
    return write_qdpx(
        tmp_path / "atlas.qdpx",
        foreign_qde(selections, **kwargs),
        {f"sources/{SOURCE}.txt": FOREIGN_TEXT.encode("utf-8")},
    )


def rows(project, coder):
    frame = read_coding(project.coder_path(coder))
    return sorted(frame[["segment_id", "code", "quote"]].itertuples(index=False, name=None))


@pytest.fixture
def atlas(tmp_path):
    """Four selections: two segments at once, a few words, the interviewer's label only, and one by user B."""
    start, _ = span(FOREIGN_TEXT, "Durch Zufall")
    _, end = span(FOREIGN_TEXT, "Und heute?")
    few = span(FOREIGN_TEXT, "zerrissen zwischen Patienten")
    label = span(FOREIGN_TEXT, "Interviewer: Und")  # mostly a label: under half of any segment
    whole = span(FOREIGN_TEXT, "Durch Zufall. Niemand sonst wollte es machen.")
    selections = "\n".join(
        [
            selection("1", start, end, USER_A, CODE_ZUFALL),
            selection("2", *few, USER_A, CODE_KONFLIKT),
            selection("3", label[0], label[0] + 3, USER_A, CODE_FUHRUNG),
            selection("4", *whole, f"{{{USER_B}}}", CODE_FUHRUNG, description="wichtig"),
        ]
    )
    return foreign(tmp_path, selections)


def test_another_tools_file_imports_with_the_right_mapping(atlas, tmp_path):
    from slqual.codebook import load_project_codebook

    result = import_qdpx(atlas, tmp_path / "study")
    project = open_project(result.project)
    assert result.origin == "ATLAS.ti 23.2.1"
    assert (project.transcripts_dir / "Interview Anna.txt").read_text(encoding="utf-8") == FOREIGN_TEXT
    ids = load_project_codebook(project).ids()
    assert ids == ["zufall", "rollenkonflikt", "führung"]
    assert load_project_codebook(project).node("rollenkonflikt").color == "#ff0000"
    assert result.coders == {"Jurgen_Muller": 3, "Sam": 1}
    doc = "Interview Anna"
    # the selection spanning two segments codes both; a few selected words become the quote
    assert rows(project, "Jurgen_Muller") == [
        (f"{doc}-0002", "zufall", ""),
        (f"{doc}-0003", "zufall", ""),
        (f"{doc}-0004", "rollenkonflikt", "zerrissen zwischen Patienten"),
    ]
    sam = read_coding(project.coder_path("Sam"))
    assert list(sam["segment_id"]) == [f"{doc}-0002"] and list(sam["memo"]) == ["wichtig"]
    assert list(sam["coded_at"]) == ["2024-05-01T10:00:00Z"]


def test_a_span_over_two_segments_codes_each_it_mostly_covers(tmp_path):
    start, _ = span(FOREIGN_TEXT, "Durch Zufall")
    _, end = span(FOREIGN_TEXT, "Ich fühle")  # all of turn 2 and 3, a sliver of turn 4
    project = open_project(
        import_qdpx(
            foreign(tmp_path, selection("1", start, end, USER_A, CODE_ZUFALL)), tmp_path / "s"
        ).project
    )
    coded = [r[0] for r in rows(project, "Jurgen_Muller")]
    assert coded == ["Interview Anna-0002", "Interview Anna-0003"]


def test_what_cannot_be_mapped_is_listed_with_counts(atlas, tmp_path):
    result = import_qdpx(atlas, tmp_path / "study")
    skipped = {s.what: s.count for s in result.skipped}
    assert skipped == {
        "audio sources (slqual reads text only)": 1,
        "selections in audio sources": 1,
        "coded text selections in no segment": 1,
    }
    assert next(s for s in result.skipped if s.what.startswith("audio")).detail == "Anna.mp3"


def test_notes_on_codings_become_memos_and_other_notes_are_counted(tmp_path):
    start, end = span(FOREIGN_TEXT, "Durch Zufall. Niemand sonst wollte es machen.")
    coded = (
        f'<PlainTextSelection guid="5E000000-0000-4000-8000-000000000009" startPosition="{start}" '
        f'endPosition="{end}" creatingUser="{USER_A}"><Coding guid="C1000000-0000-4000-8000-000000000009">'
        f'<CodeRef targetGUID="{CODE_ZUFALL}"/><NoteRef targetGUID="{{D0000000-0000-4000-8000-000000000001}}"/>'
        "</Coding></PlainTextSelection>"
    )
    notes = (
        "<Notes>"
        '<Note guid="D0000000-0000-4000-8000-000000000001"><PlainTextContent>Zufall, klar.</PlainTextContent></Note>'
        '<Note guid="D0000000-0000-4000-8000-000000000002"><PlainTextContent>Projektnotiz</PlainTextContent></Note>'
        '</Notes><Sets><Set guid="E0000000-0000-4000-8000-000000000001" name="Gruppe"/></Sets></Project>'
    )
    qde = foreign_qde(coded).replace("</Project>", notes)
    path = write_qdpx(tmp_path / "n.qdpx", qde, {f"sources/{SOURCE}.txt": FOREIGN_TEXT.encode()})
    result = import_qdpx(path, tmp_path / "study")
    coding = read_coding(open_project(result.project).coder_path("Jurgen_Muller"))
    assert list(coding["memo"]) == ["Zufall, klar."]
    skipped = {s.what: s.count for s in result.skipped}
    assert skipped["notes (memos) not attached to a coded text selection"] == 1
    assert skipped["sets (slqual has no place for them)"] == 1


def test_cases_and_variables_become_participants(atlas, tmp_path):
    from slqual.participants import read_project_participants
    from slqual.segments import read_project_segments

    project = open_project(import_qdpx(atlas, tmp_path / "study").project)
    participants = read_project_participants(project)
    assert participants.to_dict("records") == [
        {"participant_id": "Anna", "Beruf": "Ärztin", "Alter": "47", "file": "Interview Anna.txt"}
    ]
    segments = read_project_segments(project)
    assert set(segments.loc[segments["speaker"] == "Anna", "participant_id"]) == {"Anna"}


def test_focus_group_cases_get_their_file_and_speaker_label(tmp_path):
    text = "Moderator: Was fehlt?\n\nAnna: Zeit fehlt.\n\nBen: Geld fehlt.\n\nAnna: Und Personal.\n"
    spans = [span(text, w) for w in ("Zeit fehlt.", "Geld fehlt.", "Und Personal.")]
    sels = "".join(
        f'<PlainTextSelection guid="5E000000-0000-4000-8000-00000000000{i}" startPosition="{a}" endPosition="{b}">'
        f'<Coding guid="C1000000-0000-4000-8000-00000000000{i}"><CodeRef targetGUID="{CODE_ZUFALL}"/></Coding>'
        "</PlainTextSelection>"
        for i, (a, b) in enumerate(spans, start=1)
    )
    case = (
        '<Case guid="CA000000-0000-4000-8000-00000000000{n}" name="{name}"><SourceRef targetGUID="{source}"/>'
        "{refs}</Case>"
    )
    ref = '<SelectionRef targetGUID="5E000000-0000-4000-8000-00000000000{i}"/>'
    qde = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="fg">
<CodeBook><Codes><Code guid="{CODE_ZUFALL}" name="Mangel" isCodable="true"/></Codes></CodeBook>
<Cases>{case.format(n=1, name="Anna", source=SOURCE, refs=ref.format(i=1) + ref.format(i=3))}
{case.format(n=2, name="Ben", source=SOURCE, refs=ref.format(i=2))}</Cases>
<Sources><TextSource guid="{SOURCE}" name="Gruppe 1"><PlainTextContent>{text}</PlainTextContent>{sels}</TextSource></Sources>
</Project>"""
    result = import_qdpx(write_qdpx(tmp_path / "fg.qdpx", qde), tmp_path / "study")
    participants = read_project_participants(open_project(result.project))
    assert participants.to_dict("records") == [
        {"participant_id": "Anna", "file": "Gruppe 1.txt", "speaker": "Anna"},
        {"participant_id": "Ben", "file": "Gruppe 1.txt", "speaker": "Ben"},
    ]
    assert result.coders == {"imported": 3}


def test_min_overlap_decides_when_a_short_span_codes_a_segment(tmp_path):
    text_start, text_end = span(FOREIGN_TEXT, "Durch Zufall. Niemand sonst wollte es machen.")
    start, end = text_start - 10, text_start + 21  # starts in the question, ends inside the answer
    path = foreign(tmp_path, selection("1", start, end, USER_A, CODE_ZUFALL))
    strict = import_qdpx(path, tmp_path / "strict")
    assert strict.coders == {}
    assert {s.what: s.count for s in strict.skipped}["coded text selections in no segment"] == 1
    loose = open_project(import_qdpx(path, tmp_path / "loose", min_overlap=0.3).project)
    assert rows(loose, "Jurgen_Muller") == [("Interview Anna-0002", "zufall", "Durch Zufall. Niemand")]


def test_inline_and_relative_sources_are_read(tmp_path):
    inline = '<TextSource guid="51000000-0000-4000-8000-000000000001" name="Inline"><PlainTextContent>P1: Hallo.\n\nI: Ja?</PlainTextContent></TextSource>'
    beside = '<TextSource guid="52000000-0000-4000-8000-000000000001" name="Beside" plainTextPath="relative://beside.txt"/>'
    outside = '<TextSource guid="53000000-0000-4000-8000-000000000001" name="Outside" plainTextPath="relative://../secret.txt"/>'
    absolute = '<TextSource guid="54000000-0000-4000-8000-000000000001" name="Abs" plainTextPath="relative://secret.txt"/>'
    (tmp_path / "beside.txt").write_text("Anna: Neben der Datei.\n", encoding="utf-8")
    (tmp_path.parent / "secret.txt").write_text("nope", encoding="utf-8")
    path = foreign(tmp_path, "", extra_sources="\n".join([inline, beside, outside, absolute]))
    qde = (
        zipfile.ZipFile(path)
        .read("project.qde")
        .decode()
        .replace('name="Führungsstudie"', f'name="Führungsstudie" basePath="{tmp_path.parent}"')
    )  # a basePath from the file itself is never followed
    path = write_qdpx(path, qde, {f"sources/{SOURCE}.txt": FOREIGN_TEXT.encode("utf-8")})
    result = import_qdpx(path, tmp_path / "study")
    names = sorted(p.name for p in open_project(result.project).transcripts_dir.iterdir())
    assert names == ["Beside.txt", "Inline.txt", "Interview Anna.txt"]
    unread = next(s for s in result.skipped if s.what == "text sources whose text could not be read")
    assert unread.count == 2 and "points outside" in unread.detail
    assert "'relative://secret.txt' was not found beside atlas.qdpx" in unread.detail


def test_a_codebook_and_users_set_up_without_sources_makes_a_project_without_transcripts(tmp_path):
    from slqual.codebook import load_project_codebook

    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Setup" origin="ATLAS.ti 9">
  <Users><User guid="{USER_A}" name="Ana"/><User guid="{USER_B}" name="Ben"/></Users>
  <CodeBook><Codes>
    <Code guid="{CODE_ZUFALL}" name="Barrieren" isCodable="true">
      <Code guid="{CODE_KONFLIKT}" name="Zeit" isCodable="true"><Description>Zu wenig Zeit.</Description></Code>
    </Code>
  </Codes></CodeBook>
</Project>"""
    result = import_qdpx(write_qdpx(tmp_path / "setup.qdpx", qde), tmp_path / "study")
    project = open_project(result.project)
    assert load_project_codebook(project).ids() == ["barrieren", "barrieren.zeit"]
    assert load_project_codebook(project).node("barrieren.zeit").definition == "Zu wenig Zeit."
    assert result.documents == 0 and not any(project.transcripts_dir.iterdir())
    assert any("no sources" in n and "no transcripts" in n for n in result.notes)
    assert any("Ana, Ben" in n for n in result.notes)


def test_unlabelled_sources_become_one_segment_per_paragraph(tmp_path):
    text = "Erster Absatz über Zeit.\n\nZweiter Absatz über Geld.\n"
    path = write_qdpx(tmp_path / "plain.qdpx", _inline_source(text))
    result = import_qdpx(path, tmp_path / "study", unit="paragraph")
    segments = read_project_segments(open_project(result.project))
    assert list(segments["text"]) == ["Erster Absatz über Zeit.", "Zweiter Absatz über Geld."]
    assert open_project(result.project).settings.unit == "paragraph"


def _inline_source(text: str) -> str:
    return f"""<Project xmlns="urn:QDA-XML:project:1.0" name="p">
<CodeBook><Codes><Code guid="{CODE_ZUFALL}" name="Zeit" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="{SOURCE}" name="notes"><PlainTextContent>{text}</PlainTextContent></TextSource></Sources>
</Project>"""


# ----- hostile and broken files: refused with one line, nothing written -------------------------------


def assert_nothing_written(tmp_path, target):
    assert not target.exists()
    assert not [p for p in target.parent.iterdir() if p.name.startswith(f".{target.name}.")]


@pytest.mark.parametrize("entry", ["../evil.txt", "sources/../../evil.txt", "/etc/evil.txt", "C:\\evil.txt"])
def test_entries_escaping_the_archive_are_refused(tmp_path, entry):
    path = write_qdpx(tmp_path / "bad.qdpx", foreign_qde(""), {entry: b"x"})
    with pytest.raises(QdpxError, match="points outside the archive"):
        import_qdpx(path, tmp_path / "study")
    assert_nothing_written(tmp_path, tmp_path / "study")


def test_a_zip_bomb_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_UNPACKED", 4 * 1024 * 1024)
    path = write_qdpx(tmp_path / "bomb.qdpx", foreign_qde(""), {"sources/zeros.bin": bytes(8 * 1024 * 1024)})
    assert path.stat().st_size < 100_000
    with pytest.raises(QdpxError, match="zip bomb"):
        import_qdpx(path, tmp_path / "study")
    assert_nothing_written(tmp_path, tmp_path / "study")


def test_an_oversized_project_qde_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_QDE_BYTES", 1024)
    path = write_qdpx(tmp_path / "big.qdpx", foreign_qde(""))
    with pytest.raises(QdpxError, match="project.qde' would unpack to"):
        import_qdpx(path, tmp_path / "study")


def test_too_many_entries_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_ENTRIES", 3)
    path = write_qdpx(tmp_path / "many.qdpx", foreign_qde(""), {f"sources/{i}.txt": b"x" for i in range(5)})
    with pytest.raises(QdpxError, match="holds 6 files"):
        import_qdpx(path, tmp_path / "study")


def test_an_entity_bomb_is_refused(tmp_path):
    lol = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>'
    )
    with pytest.raises(QdpxError, match="declares XML entities"):
        import_qdpx(write_qdpx(tmp_path / "lol.qdpx", lol), tmp_path / "study")
    assert_nothing_written(tmp_path, tmp_path / "study")


def test_an_external_entity_is_refused(tmp_path):
    xxe = (
        '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>'
    )
    with pytest.raises(QdpxError, match="declares XML entities or external references"):
        import_qdpx(write_qdpx(tmp_path / "xxe.qdpx", xxe), tmp_path / "study")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<Project", "not well-formed XML"),
        ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>', "is not a REFI-QDA project"),
        ("", "project.qde is empty"),
    ],
)
def test_broken_project_files_fail_with_one_clear_line(tmp_path, content, message):
    with pytest.raises(QdpxError, match=message):
        import_qdpx(write_qdpx(tmp_path / "x.qdpx", content), tmp_path / "study")
    assert_nothing_written(tmp_path, tmp_path / "study")


def test_not_a_zip_and_no_project_file_are_refused(tmp_path):
    (tmp_path / "text.qdpx").write_text("hello", encoding="utf-8")
    with pytest.raises(QdpxError, match="not a readable .qdpx"):
        import_qdpx(tmp_path / "text.qdpx", tmp_path / "study")
    with zipfile.ZipFile(tmp_path / "empty.qdpx", "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(QdpxError, match="holds no project.qde"):
        import_qdpx(tmp_path / "empty.qdpx", tmp_path / "study")


def test_an_existing_project_is_refused(atlas, tmp_path, project):
    with pytest.raises(QdpxError, match="already exists and is not empty"):
        import_qdpx(atlas, project.root)


def test_a_failure_while_building_leaves_nothing_behind(atlas, tmp_path, monkeypatch):
    import slqual.ingest

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(slqual.ingest, "ingest", broken)
    with pytest.raises(RuntimeError):
        import_qdpx(atlas, tmp_path / "study")
    assert_nothing_written(tmp_path, tmp_path / "study")


def test_cli_import_lists_what_was_skipped(atlas, tmp_path, runner):
    result = runner.invoke(app, ["import", "qdpx", str(atlas), "-p", str(tmp_path / "study")])
    assert result.exit_code == 0, result.output
    assert "Not imported" in result.output and "selections in audio sources" in result.output
    assert "from ATLAS.ti 23.2.1" in result.output and "Jurgen_Muller (3 rows)" in result.output


def test_cli_refuses_a_hostile_file_with_one_line_and_exit_2(tmp_path, runner):
    path = write_qdpx(tmp_path / "bad.qdpx", foreign_qde(""), {"../evil.txt": b"x"})
    result = runner.invoke(app, ["import", "qdpx", str(path), "-p", str(tmp_path / "study")])
    assert result.exit_code == 2
    assert result.output.count("Error:") == 1 and "points outside the archive" in result.output
    assert not (tmp_path / "study").exists()


def test_cli_json_prints_the_result(atlas, tmp_path, runner):
    import json

    result = runner.invoke(app, ["import", "qdpx", str(atlas), "-p", str(tmp_path / "s"), "--format", "json"])
    data = json.loads(result.stdout)
    assert data["coders"] == {"Jurgen_Muller": 3, "Sam": 1}
    assert {"what": "selections in audio sources", "count": 1, "detail": ""} in data["skipped"]


def test_a_project_without_namespace_is_read_with_a_note(tmp_path):
    qde = _inline_source("Anna: Hallo.\n").replace(' xmlns="urn:QDA-XML:project:1.0"', "")
    result = import_qdpx(write_qdpx(tmp_path / "n.qdpx", qde), tmp_path / "study")
    assert result.documents == 1
    assert "project.qde has no XML namespace; read it as REFI-QDA 1.0" in result.notes


def test_cli_refuses_a_min_overlap_outside_zero_to_one(atlas, tmp_path, runner):
    args = ["import", "qdpx", str(atlas), "-p", str(tmp_path / "s"), "--min-overlap", "0"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "must be above 0 and at most 1" in result.output
    assert not (tmp_path / "s").exists()

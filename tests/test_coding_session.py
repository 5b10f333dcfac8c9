"""The coding session state machine, driven line by line without a terminal."""

from __future__ import annotations

import pytest
from coding_fixtures import PARTICIPANT_SEGMENTS, make_project

from slqual.coding.session import code_entries, coding_session
from slqual.codings import read_coding
from slqual.errors import CodebookError, CodingsError


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)


def _rows(project, coder="r1"):
    frame = read_coding(project.coder_path(coder))
    return list(zip(frame["segment_id"], frame["code"], strict=True))


def test_starts_at_the_first_participant_segment_with_its_question_and_group(project):
    with coding_session(project, "r1") as (session, note):
        screen = session.screen()
    assert note == ""
    assert screen.segment.segment_id == "P01-0002"
    assert screen.segment.question == "How did you come to lead?"
    assert screen.segment.group == "clinical"
    assert (screen.position, screen.total, screen.coded) == (1, 6, 0)


def test_codes_by_number_id_prefix_and_ending(project):
    with coding_session(project, "r1") as (session, _):
        assert session.handle("2, barriers.time").kind == "saved"
        assert session.handle("meetings 5").kind == "saved"
        assert session.handle("duty").kind == "saved"
    assert _rows(project) == [
        ("P01-0002", "motivation.not_career_goal"),
        ("P01-0002", "barriers.time_pressure"),
        ("P01-0004", "barriers.bureaucracy.meetings"),
        ("P01-0004", "barriers.time_pressure"),
        ("P01-0005", "motivation.duty_to_team"),
    ]


def test_none_writes_an_empty_code_row_and_skip_writes_nothing(project):
    with coding_session(project, "r1") as (session, _):
        assert session.handle("s").kind == "skipped"
        assert session.handle("-").kind == "saved"
        assert session.handle("0").kind == "saved"
    assert _rows(project) == [("P01-0004", ""), ("P01-0005", "")]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("99", "'99' is not a code number (the numbers go from 1 to 7)."),
        ("bure", "'bure' could be barriers.bureaucracy, barriers.bureaucracy.meetings: type more of the id."),
        ("xyz", "'xyz' is not a code number or id here (type ? for help)."),
        ("2 0", "'0' means 'no code applies' and cannot be combined with codes."),
        ("", "Nothing typed."),
    ],
)
def test_unknown_input_is_explained_and_nothing_is_saved(project, typed, message):
    with coding_session(project, "r1") as (session, _):
        reply = session.handle(typed)
        assert reply.kind == "error"
        assert message in reply.message
        assert session.screen().segment.segment_id == "P01-0002"
    assert not project.coder_path("r1").exists()


def test_back_changes_the_previous_answer(project):
    with coding_session(project, "r1") as (session, _):
        session.handle("2")
        assert session.handle("b").kind == "back"
        screen = session.screen()
        assert screen.segment.segment_id == "P01-0002"
        assert screen.saved.codes == ("motivation.not_career_goal",)
        session.handle("3")
        assert session.screen().segment.segment_id == "P01-0004"
    assert _rows(project) == [("P01-0002", "motivation.duty_to_team")]


def test_back_at_the_start_is_explained(project):
    with coding_session(project, "r1") as (session, _):
        reply = session.handle("b")
    assert reply.kind == "error"
    assert "nothing to go back to" in reply.message


def test_memo_and_exemplar_are_saved_with_the_answer(project):
    with coding_session(project, "r1") as (session, _):
        assert session.handle("m").kind == "ask_memo"
        assert session.handle("Says it twice").kind == "memo"
        assert session.handle("e").kind == "exemplar"
        session.handle("2 5")
        session.handle("m inline memo")
        session.handle("0")
    frame = read_coding(project.coder_path("r1"))
    assert list(frame["memo"]) == ["Says it twice", "Says it twice", "inline memo"]
    assert list(frame["exemplar"]) == ["1", "1", ""]


def test_memo_and_exemplar_on_a_coded_segment_are_saved_at_once(project):
    with coding_session(project, "r1") as (session, _):
        session.handle("2")
        session.handle("b")
        session.handle("e")
        session.handle("m later thought")
        frame = read_coding(project.coder_path("r1"))
        assert list(frame["exemplar"]) == ["1"]
        assert list(frame["memo"]) == ["later thought"]
        assert list(frame["code"]) == ["motivation.not_career_goal"]


def test_help_for_a_code_and_for_the_keys(project):
    with coding_session(project, "r1") as (session, _):
        reply = session.handle("?2")
        assert reply.kind == "code_help"
        assert reply.code.id == "motivation.not_career_goal"
        assert session.handle("? barriers.time").code.id == "barriers.time_pressure"
        assert "0 or - when no code applies" in session.handle("?").message


def test_quit_and_resume_starts_at_the_first_uncoded_segment(project):
    with coding_session(project, "r1") as (session, _):
        session.handle("2")
        session.handle("s")
        session.handle("5")
        assert session.handle("q").kind == "quit"
    with coding_session(project, "r1") as (session, _):
        screen = session.screen()
        assert screen.segment.segment_id == "P01-0004"  # the skipped one is still uncoded
        assert screen.coded == 2
    with coding_session(project, "r1", revisit=True) as (session, _):
        assert session.screen().segment.segment_id == "P01-0002"


def test_document_filter_and_done_state(project):
    with coding_session(project, "r1", document="P02") as (session, _):
        assert session.screen().segment.segment_id == "P02-0002"
        for _ in range(3):
            session.handle("0")
        assert session.finished
        assert session.handle("x").kind == "error"
        assert session.handle("b").kind == "back"
        assert session.screen().segment.segment_id == "P02-0005"


def test_unknown_document_is_refused_with_the_documents(project):
    with pytest.raises(
        CodingsError, match="no participant segments for document 'P09'; documents are: P01, P02"
    ):
        with coding_session(project, "r1", document="P09"):
            pass


def test_theme_filter_shows_one_theme_and_keeps_other_themes_codes(project):
    with coding_session(project, "r1") as (session, _):
        session.handle("2 5")
    with coding_session(project, "r1", theme="barriers", revisit=True) as (session, _):
        assert [e.id for e in session.entries][0] == "barriers"
        assert session.handle("motivation").kind == "error"
        assert "from 1 to 4" in session.handle("6").message
        session.handle("3")
    assert _rows(project) == [
        ("P01-0002", "motivation.not_career_goal"),
        ("P01-0002", "barriers.bureaucracy"),
    ]


def test_a_code_is_not_a_theme(project):
    from slqual.codebook import load_project_codebook

    codebook = load_project_codebook(project)
    with pytest.raises(CodebookError, match="is a code, not a theme"):
        code_entries(codebook, "barriers.time_pressure")
    with pytest.raises(CodebookError, match="themes are: motivation, barriers"):
        code_entries(codebook, "nope")


def test_rows_stay_in_segment_order_and_rows_of_unknown_segments_are_kept(project):
    project.codings_dir.mkdir(exist_ok=True)
    project.coder_path("r1").write_text(
        "segment_id,code,coder,coded_at,memo,exemplar\n"
        "X99-0001,barriers,r1,2026-01-01T00:00:00Z,old,\n"
        "P02-0002,motivation,r1,2026-01-01T00:00:00Z,,\n"
    )
    with coding_session(project, "r1") as (session, _):
        session.handle("2")
    assert _rows(project) == [
        ("P01-0002", "motivation.not_career_goal"),
        ("P02-0002", "motivation"),
        ("X99-0001", "barriers"),
    ]
    assert len(PARTICIPANT_SEGMENTS) == 6

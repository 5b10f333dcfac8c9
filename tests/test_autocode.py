"""Keyword pre-coding with words, phrases and re: patterns, into the pseudo-coder only."""

from __future__ import annotations

import json

import pytest
from coding_fixtures import make_project

from slqual.cli.main import app
from slqual.codebook import parse_codebook
from slqual.coding.autocode import autocode, compile_keyword, match_segments
from slqual.codings import read_coding
from slqual.errors import CodebookError, CodingsError


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)


@pytest.mark.parametrize(
    ("keyword", "text", "hit"),
    [
        ("fell into", "I sort of FELL   into the role", True),
        ("fell into", "it befell into chaos", False),
        ("meeting", "every meeting runs late", True),
        ("meeting", "the meetingroom is cold", False),
        ("meeting", "meetings, meetings", False),
        ("no time", "there is no time.", True),
        ("re:\\bmeetings?\\b", "meetings, meetings", True),
        ("re:form[- ]filling", "endless FORM-filling", True),
        ("a.b", "axb", False),  # a plain keyword is not a pattern
    ],
)
def test_keywords_are_case_insensitive_whole_words_and_regexes(keyword, text, hit):
    assert bool(compile_keyword("c", keyword).search(text)) is hit


def test_a_broken_regex_names_the_code_and_keyword():
    with pytest.raises(
        CodebookError, match="keyword 're:\\(unclosed' of code 'c' is not a valid regular expression"
    ):
        compile_keyword("c", "re:(unclosed")


def test_match_segments_reports_the_first_matching_keyword_per_code():
    import pandas as pd

    codebook = parse_codebook(
        "codes:\n  - id: a\n    name: A\n    keywords: ['x y', 're:z+']\n  - id: b\n    name: B\n"
    )
    frame = pd.DataFrame({"segment_id": ["s1", "s2"], "text": ["zz and X  Y", "nothing"]})
    assert match_segments(frame, codebook) == {"s1": [("a", "x y")], "s2": []}


def test_autocode_writes_the_auto_coder_with_memos_and_counts(project):
    result = autocode(project)
    frame = read_coding(project.coder_path("auto"))
    pairs = frame[["segment_id", "code"]].values.tolist()
    assert pairs == [
        ["P01-0002", "motivation.not_career_goal"],
        ["P01-0004", "barriers.time_pressure"],
        ["P01-0004", "barriers.bureaucracy"],
        ["P01-0004", "barriers.bureaucracy.meetings"],
        ["P01-0005", ""],
        ["P02-0002", "motivation.duty_to_team"],
        ["P02-0004", "barriers.time_pressure"],
        ["P02-0005", "motivation.not_career_goal"],
    ]
    assert set(frame["coder"]) == {"auto"}
    assert frame["memo"][0] == "keyword pre-coding: matched 'never planned'"
    assert frame["memo"][4] == "keyword pre-coding: no keyword matched"
    assert "re:\\bnever" in frame["memo"][7]  # the regex that matched is named
    counts = {c.code: c.segments for c in result.codes}
    assert counts == {
        "motivation.not_career_goal": 2,
        "motivation.duty_to_team": 1,
        "barriers.time_pressure": 2,
        "barriers.bureaucracy": 1,
        "barriers.bureaucracy.meetings": 1,
    }
    assert (result.segments, result.matched_segments, result.assignments) == (6, 5, 7)
    again = autocode(project)  # rerunning replaces its own file and keeps the old one
    assert again.history_path is not None


def test_autocode_never_writes_a_human_coders_file(project):
    project.codings_dir.mkdir(exist_ok=True)
    human = "segment_id,code,coder,coded_at,memo,exemplar\nP01-0002,motivation,r1,,my own memo,\n"
    project.coder_path("r1").write_text(human)
    with pytest.raises(CodingsError, match="autocode never writes into a person's file"):
        autocode(project, "r1")
    assert project.coder_path("r1").read_text() == human


def test_cli_autocode_table_and_json(runner, project):
    result = runner.invoke(app, ["autocode", "-p", str(project.root)])
    assert result.exit_code == 0, result.output
    assert "5 of 6 participant segments matched a keyword (7 code assignments)." in result.output
    data = json.loads(runner.invoke(app, ["autocode", "-f", "json", "-p", str(project.root)]).stdout)
    assert data["coder"] == "auto"
    assert data["codes"][0] == {
        "code": "motivation.not_career_goal",
        "name": "Leadership was not a career goal",
        "keywords": 3,
        "segments": 2,
    }


def test_a_runaway_regex_is_stopped_and_named():
    import time

    import pandas as pd

    codebook = parse_codebook(
        'title: T\ncodes:\n  - id: slow\n    name: Slow\n    keywords: ["re:(\\\\w+\\\\s?)+$"]\n', "cb.yaml"
    )
    segments = pd.DataFrame({"segment_id": ["P01-0002"], "text": ["a" * 40 + "!"]})
    started = time.monotonic()
    with pytest.raises(
        CodebookError, match=r"cb.yaml: keyword 're:\(\\w\+\\s\?\)\+\$' of code 'slow' took more"
    ):
        match_segments(segments, codebook, budget=0.2)
    assert time.monotonic() - started < 5
    fine = pd.DataFrame({"segment_id": ["P01-0002"], "text": ["a b c"]})
    assert match_segments(fine, codebook, budget=0.2) == {"P01-0002": [("slow", "re:(\\w+\\s?)+$")]}

"""slqual code driven through stdin, as a researcher would type."""

from __future__ import annotations

import pytest
from coding_fixtures import make_project

from slqual.cli.main import app
from slqual.coding.lock import acquire_lock
from slqual.codings import read_coding


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)


def _code(runner, project, typed, *extra):
    return runner.invoke(app, ["code", "--coder", "r1", "-p", str(project.root), *extra], input=typed)


def test_screen_shows_context_progress_and_numbered_codes(runner, project):
    result = _code(runner, project, "q\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "P01 · participant P01 (clinical) · P01-0002" in out
    assert "Segment 1 of 6 · 0 coded (0%)" in out
    assert "Q: How did you come to lead?" in out
    assert "I never planned it, I fell into the role." in out
    assert " 1 motivation  Motivation" in out
    assert " 2 not_career_goal" in out
    assert "7   bureaucracy.meetings" in out
    assert all(len(line) <= 80 for line in out.splitlines())


def test_codes_by_number_and_id_none_memo_exemplar_back_and_quit(runner, project):
    typed = "2 barriers.time\nm\nread twice\ne\n0\nb\n6\n3\nq\n"
    result = _code(runner, project, typed)
    assert result.exit_code == 0, result.output
    assert "Saved P01-0002: motivation.not_career_goal, barriers.time_pressure." in result.output
    assert "Saved P01-0004: no code applies." in result.output
    assert "Back to P01-0004" in result.output
    assert "Stopped. 4 answer(s) saved in this session." in result.output
    frame = read_coding(project.coder_path("r1"))
    assert frame[["segment_id", "code", "memo", "exemplar"]].values.tolist() == [
        ["P01-0002", "motivation.not_career_goal", "", ""],
        ["P01-0002", "barriers.time_pressure", "", ""],
        ["P01-0004", "barriers.bureaucracy", "read twice", "1"],
        ["P01-0005", "motivation.duty_to_team", "", ""],
    ]


def test_unknown_input_is_explained_never_dropped(runner, project):
    result = _code(runner, project, "hello\n2\n")
    assert "'hello' is not a code number or id here (type ? for help). Nothing was saved" in result.output
    assert "Saved P01-0002: motivation.not_career_goal." in result.output


def test_end_of_input_exits_cleanly_and_resume_carries_on(runner, project):
    first = _code(runner, project, "2\n")
    assert first.exit_code == 0
    assert "End of input. 1 answer(s) saved in this session." in first.output
    second = _code(runner, project, "q\n")
    assert "Segment 2 of 6 · 1 coded (17%)" in second.output
    assert "P01-0004" in second.output
    everything = _code(runner, project, "q\n", "--all")
    assert "Segment 1 of 6 · 1 coded (17%)" in everything.output
    assert "Saved answer: motivation.not_career_goal" in everything.output


def test_finishing_the_scope_says_so(runner, project):
    result = _code(runner, project, "0\n0\n0\n\n", "--document", "P02")
    assert result.exit_code == 0
    assert "No more segments to show here: 3 of 3 coded." in result.output
    assert "Finished. 3 answer(s) saved in this session." in result.output


def test_theme_option_shows_only_that_theme(runner, project):
    result = _code(runner, project, "q\n", "--theme", "barriers")
    assert " 1 barriers  Barriers" in result.output
    assert "motivation" not in result.output


def test_second_session_for_the_same_coder_is_refused(runner, project):
    lock = acquire_lock(project, "r1")
    try:
        result = _code(runner, project, "2\n")
        assert result.exit_code == 2
        assert "'r1' is already coding in another session" in result.output
        other = runner.invoke(app, ["code", "--coder", "r2", "-p", str(project.root)], input="2\n")
        assert other.exit_code == 0, other.output
    finally:
        lock.release()
    assert not project.coder_path("r1").exists()
    assert read_coding(project.coder_path("r2"))["code"].tolist() == ["motivation.not_career_goal"]


def test_bad_coder_name_is_refused(runner, project):
    result = runner.invoke(app, ["code", "--coder", "../x", "-p", str(project.root)], input="q\n")
    assert result.exit_code == 2
    assert "coder name '../x' cannot be used" in result.output


def test_ctrl_c_exits_cleanly_with_what_was_saved(runner, project, monkeypatch):
    import slqual.cli.code as code_module

    typed = iter(["2"])

    def read_line(prompt):
        try:
            return next(typed)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr(code_module, "_read_line", read_line)
    result = _code(runner, project, "")
    assert result.exit_code == 0
    assert "Interrupted. 1 answer(s) saved in this session" in result.output
    assert read_coding(project.coder_path("r1"))["code"].tolist() == ["motivation.not_career_goal"]
    assert not (project.internal_dir / "locks" / "r1.lock").exists()


def test_code_help_keeps_every_line_indented_under_the_code(runner, project):
    result = _code(runner, project, "?2\nq\n")
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    start = next(i for i, line in enumerate(out) if "motivation.not_career_goal — " in line)
    block = out[start + 1 : next(i for i in range(start + 1, len(out)) if out[i].startswith("> "))]
    assert block and all(line.startswith("  ") and line == line.rstrip() for line in block), block
    assert any(line.startswith("  Definition: ") for line in block)


@pytest.mark.parametrize(
    "command",
    [
        ["code"],
        ["sheet", "export"],
        ["sheet", "import"],
        ["autocode"],
        ["status"],
        ["codebook", "check"],
        ["codebook", "show"],
        ["codebook", "export"],
        ["codebook", "import"],
    ],
)
def test_help_names_no_python_types(runner, command):
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    options = [line for line in result.output.splitlines() if "--help" not in line]
    assert not [line for line in options if "<str>" in line or "<bool>" in line or "<int>" in line]

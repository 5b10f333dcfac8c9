"""Issue 10, defect 6: the methods paragraph is true for 2, 3 and 4 coders with partial overlap."""

from __future__ import annotations

import json
import re

import pytest
from agreement_fixtures import make_project, write_coder
from typer.testing import CliRunner

from slqual.agreement import AgreeOptions, run_agree
from slqual.agreement.methods import methods_paragraph
from slqual.cli.main import app

ROWS = [
    ("P01-0002", "barriers.time"),
    ("P01-0003", "barriers.culture"),
    ("P01-0004", "skills.listening"),
    ("P02-0002", "barriers.time"),
    ("P02-0003", ""),
    ("P02-0004", "barriers.culture"),
]


def _methods(study, coders, **kw):
    return run_agree(AgreeOptions(coders=tuple(coders), project=study.root, **kw))


def test_two_coders_with_partial_overlap(tmp_path):
    study = make_project(tmp_path, {"anna": ROWS, "ben": ROWS[:4]})
    text = _methods(study, ["anna", "ben"]).methods
    assert "coded all" not in text
    assert "four of the six segments were coded by both coders" in text
    assert "two segments coded by only one coder were not compared" in text
    assert "still enter the chance term" in text and "Fleiss' kappa and AC1" in text


def test_three_coders_none_coding_every_segment(tmp_path):
    study = make_project(tmp_path, {"a": ROWS[:3], "b": ROWS[1:5], "c": [ROWS[0], *ROWS[3:]]})
    outcome = _methods(study, ["a", "b", "c"])
    text = outcome.methods
    assert outcome.data["coverage"] == {"0": 0, "1": 1, "2": 5, "3": 0}
    assert "were coded by all three" not in text and "coded all" not in text
    assert "no segment was coded by all three coders" in text
    assert "five segments were coded by two coders" in text
    assert "one segment coded by only one coder was not compared" in text
    assert "Light's kappa" in text


def test_four_coders_with_partial_overlap(tmp_path):
    other = [(s, "barriers.time" if c == "" else c) for s, c in ROWS]
    study = make_project(tmp_path, {"a": ROWS, "b": other, "c": ROWS[:4], "d": ROWS[:1]})
    outcome = _methods(study, ["a", "b", "c", "d"], replicates=50, seed=3)
    text = outcome.methods
    assert "Four coders (a, b, c and d)" in text
    assert "one segment was coded by all four coders" in text
    assert "three segments by three" in text and "two segments by two" in text
    assert "percentile intervals from 50 bootstrap resamples of segments, seed 3" in text
    assert "based on Gwet's (2008) linearised variance" in text


def test_one_code_is_singular_and_no_negative_zero(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a = write_coder(tmp_path / "a.csv", [("s1", "x"), ("s2", ""), ("s3", ""), ("s4", "x")])
    b = write_coder(tmp_path / "b.csv", [("s1", ""), ("s2", "x"), ("s3", ""), ("s4", "x")])
    c = write_coder(tmp_path / "c.csv", [("s5", "x")])
    text = run_agree(AgreeOptions(coders=(str(a), str(b), str(c)))).methods
    assert "each of the 1" not in text and "For the one code" in text
    assert "1 segments" not in text
    assert "-0.00" not in text


def test_negative_zero_is_never_printed():
    from slqual.agreement.methods import _f

    assert _f(-0.001) == "0.00" and _f(-0.004, 2) == "0.00" and _f(-0.25) == "-0.25"


def test_consensus_is_claimed_only_after_reconcile(tmp_path):
    study = make_project(tmp_path, {"anna": ROWS, "ben": ROWS})
    assert "consensus" not in _methods(study, ["anna", "ben"]).methods
    (study.root / "codings" / "consensus.csv").write_text("segment_id,code\n", encoding="utf-8")
    assert "consensus" not in _methods(study, ["anna", "ben"]).methods  # a file alone is not a reconcile
    study.audit("reconcile", coders=["anna", "ben"], into="consensus")
    assert "discussed to consensus" in _methods(study, ["anna", "ben"]).methods


def test_every_interval_method_is_named(tmp_path):
    study = make_project(tmp_path, {"anna": ROWS, "ben": ROWS[:4] + [("P02-0003", "barriers.time")]})
    text = _methods(study, ["anna", "ben"]).methods
    assert "Fleiss, Cohen and Everitt (1969)" in text
    assert "based on Gwet's (2008) linearised variance" in text
    assert "no interval" in text  # alpha and percent agreement without --bootstrap


def test_no_code_applied(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a = write_coder(tmp_path / "a.csv", [("s1", ""), ("s2", "")])
    b = write_coder(tmp_path / "b.csv", [("s1", ""), ("s2", "")])
    result = runner_invoke = CliRunner().invoke(app, ["agree", str(a), str(b), "--methods"])
    assert runner_invoke.exit_code == 0, result.output
    assert "no code was applied" in result.stdout
    assert "each of the 0" not in result.stdout


@pytest.fixture
def runner():
    return CliRunner()


@pytest.mark.parametrize("n_coders", [2, 3, 4])
def test_every_number_in_the_paragraph_is_in_the_json(tmp_path, n_coders):
    names = ["a", "b", "c", "d"][:n_coders]
    files = {name: ROWS[: 6 - i] for i, name in enumerate(names)}
    study = make_project(tmp_path, files)
    outcome = _methods(study, names)
    text = methods_paragraph(outcome.data)
    blob = json.dumps(outcome.data)
    for number in re.findall(r"-?\d+\.\d\d\b", text):
        value = float(number)
        assert any(
            abs(float(x) - value) < 0.006 or abs(100 * float(x) - value) < 0.06
            for x in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", blob)
        ), number

"""cu-alpha for a theme whose codes are mutually exclusive (issue 10, beyond the peers)."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from agreement_fixtures import segment_frame, write_coder
from typer.testing import CliRunner

from slqual.agreement import AgreeOptions, run_agree
from slqual.cli.main import app
from slqual.codebook.checks import check_text
from slqual.project import init_project
from slqual.segments import write_segments

CODEBOOK = """\
title: Exclusive test
version: 1
codes:
  - id: stance
    name: Stance on integration
    definition: The participant's overall stance.
    exclusive: true
    children:
      - id: stance.for
        name: For
        definition: In favour.
      - id: stance.against
        name: Against
        definition: Against.
        children:
          - id: stance.against.strongly
            name: Strongly against
            definition: Strongly.
      - id: stance.mixed
        name: Mixed
        definition: Mixed.
  - id: other
    name: Other
    definition: Anything else.
"""
UNITS = ["P01-0002", "P01-0003", "P01-0004", "P02-0002", "P02-0003", "P02-0004"]


def _project(tmp_path, anna, ben):
    source = tmp_path / "cb.yaml"
    source.write_text(CODEBOOK, encoding="utf-8")
    project = init_project(tmp_path / "study", codebook=str(source))
    write_segments(project.segments_path, segment_frame())
    write_coder(project.coder_path("anna"), anna, "anna")
    write_coder(project.coder_path("ben"), ben, "ben")
    return project


def test_cu_alpha_is_nominal_alpha_over_the_child_chosen(tmp_path):
    anna = [(UNITS[0], "stance.for"), (UNITS[1], "stance.against"), (UNITS[2], "stance.mixed"),
            (UNITS[3], "stance.for"), (UNITS[4], "other"), (UNITS[5], "stance.against.strongly")]  # fmt: skip
    ben = [(UNITS[0], "stance.for"), (UNITS[1], "stance.against.strongly"), (UNITS[2], "stance.for"),
           (UNITS[3], "stance.for"), (UNITS[4], "stance.mixed"), (UNITS[5], "stance.against")]  # fmt: skip
    project = _project(tmp_path, anna, ben)
    data = run_agree(AgreeOptions(coders=("anna", "ben"), project=project.root)).data
    (cu,) = data["cu_alpha"]
    assert cu["theme"] == "stance" and cu["categories"] == ["stance.for", "stance.against", "stance.mixed"]
    assert cu["n"] == 5  # UNITS[4]: anna did not place it in the domain
    # values: for/for, against/against, mixed/for, for/for, against/against (a subcode counts for its child)
    reference = krippendorff.alpha(
        reliability_data=np.array([[0, 1, 2, 0, 1], [0, 1, 0, 0, 1]], dtype=float),
        level_of_measurement="nominal",
    )
    assert cu["krippendorff_alpha"] == pytest.approx(reference, abs=1e-6)
    assert cu["conflicts"] == 0
    md = CliRunner().invoke(app, ["agree", "anna", "ben", "-p", str(project.root), "-f", "md"])
    assert "cu-alpha for stance (which of its 3 codes, n = 5)" in md.stdout


def test_two_children_on_one_segment_is_a_conflict_left_out(tmp_path):
    anna = [(UNITS[0], "stance.for"), (UNITS[0], "stance.mixed"), (UNITS[1], "stance.for")]
    ben = [(UNITS[0], "stance.for"), (UNITS[1], "stance.for")]
    data = run_agree(AgreeOptions(coders=("anna", "ben"), project=_project(tmp_path, anna, ben).root)).data
    (cu,) = data["cu_alpha"]
    assert cu["conflicts"] == 1 and cu["n"] == 1
    assert cu["krippendorff_alpha"] is None and cu["undefined"]


def test_exclusive_must_be_true_or_false():
    issues = check_text(CODEBOOK.replace("exclusive: true", "exclusive: yes please"), "cb.yaml")[1]
    assert any("'exclusive' must be true or false" in str(issue) for issue in issues)
    assert not [i for i in check_text(CODEBOOK, "cb.yaml")[1] if i.severity == "error"]


def test_no_exclusive_node_means_no_cu_alpha(tmp_path):
    from agreement_fixtures import make_project

    data = run_agree(
        AgreeOptions(coders=("reviewer1", "reviewer2"), project=make_project(tmp_path).root)
    ).data
    assert data["cu_alpha"] == []


def test_exclusive_survives_writing_the_codebook_back():
    from slqual.codebook.dump import codebook_to_yaml
    from slqual.codebook.load import parse_codebook

    codebook = parse_codebook(CODEBOOK)
    assert codebook.nodes["stance"].exclusive and not codebook.nodes["other"].exclusive
    assert "exclusive: true" in codebook_to_yaml(codebook)
    assert parse_codebook(codebook_to_yaml(codebook)).nodes["stance"].exclusive

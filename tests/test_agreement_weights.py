"""--weight words: every statistic weighted by segment length in words (issue 10, beyond the peers)."""

from __future__ import annotations

import numpy as np
import pytest
from agreement_fixtures import make_project, write_coder
from typer.testing import CliRunner

from slqual.agreement import AgreeOptions, binary_agreement, run_agree
from slqual.agreement.masi import alpha_masi, prepare
from slqual.cli.main import app


def test_integer_weights_equal_repeating_the_segments():
    rng = np.random.default_rng(5)
    for _ in range(30):
        ratings = (rng.random((12, 3, 2)) < 0.4).astype(float)
        ratings[rng.random((12, 3)) < 0.2] = np.nan
        words = rng.integers(1, 5, 12)
        weighted = binary_agreement(ratings, weights=words.astype(float)).stats
        repeated = binary_agreement(np.repeat(ratings, words, axis=0)).stats
        for name in ("percent_agreement", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1", "cohen_kappa"):
            a, b = weighted[name].value, repeated[name].value
            assert np.allclose(np.nan_to_num(a, nan=9), np.nan_to_num(b, nan=9)) or (
                # alpha's small-sample factor (N - 1) counts values, so repetition changes it slightly
                name == "krippendorff_alpha"
            ), name


def test_masi_alpha_weights_equal_repeating_the_segments_up_to_alphas_n_minus_one():
    rng = np.random.default_rng(6)
    present = rng.random((20, 2, 4)) < 0.4
    rated = np.ones((20, 2), dtype=bool)
    words = rng.integers(1, 4, 20)
    weighted = alpha_masi(prepare(present, rated, weights=words.astype(float)))[0]
    repeated = alpha_masi(prepare(np.repeat(present, words, axis=0), np.repeat(rated, words, axis=0)))[0]
    assert weighted == pytest.approx(repeated, abs=0.02)


def test_weighting_needs_the_segment_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a = write_coder(tmp_path / "a.csv", [("s1", "x"), ("s2", "")])
    b = write_coder(tmp_path / "b.csv", [("s1", "x"), ("s2", "x")])
    result = CliRunner().invoke(app, ["agree", str(a), str(b), "--weight", "words"])
    assert result.exit_code == 2
    assert "--weight words needs each segment's text" in result.stderr


def test_weighting_in_a_project_changes_the_numbers_not_the_counts(tmp_path):
    study = make_project(tmp_path)
    plain = run_agree(AgreeOptions(coders=("reviewer1", "reviewer2"), project=study.root)).data
    words = run_agree(
        AgreeOptions(coders=("reviewer1", "reviewer2"), project=study.root, weight="words")
    ).data
    assert words["weight"] == "words" and plain["weight"] == "segments"
    time_plain = next(r for r in plain["codes"] if r["code"] == "barriers.time")
    time_words = next(r for r in words["codes"] if r["code"] == "barriers.time")
    assert time_words["n"] == time_plain["n"]
    assert time_words["percent_agreement"] != time_plain["percent_agreement"]
    assert time_words["ci"]["fleiss_kappa"] is None  # analytic intervals assume equal weights
    boot = run_agree(
        AgreeOptions(
            coders=("reviewer1", "reviewer2"), project=study.root, weight="words", replicates=50, seed=1
        )
    ).data
    assert boot["interval_methods"]["krippendorff_alpha"] == "bootstrap-50"
    assert (
        "weighted by its length in words"
        in run_agree(
            AgreeOptions(coders=("reviewer1", "reviewer2"), project=study.root, weight="words")
        ).methods
    )


def test_tables_say_the_segments_were_weighted(tmp_path):
    study = make_project(tmp_path)
    args = ["agree", "reviewer1", "reviewer2", "-p", str(study.root), "--weight", "words"]
    for fmt in ("table", "md"):
        result = CliRunner().invoke(app, [*args, "-f", fmt])
        assert result.exit_code == 0, result.output
        assert "weighted by its length in words" in result.stdout

"""Issue 10: inputs that crashed, undefined values with false reasons, degenerate intervals, rare codes."""

from __future__ import annotations

import json

import numpy as np
import pytest
from agreement_fixtures import make_project, write_coder
from typer.testing import CliRunner

from slqual.agreement import AgreeOptions, binary_agreement, run_agree
from slqual.agreement.nominal import STATISTICS
from slqual.cli.main import app

CHANCE_CORRECTED = ("cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1", "brennan_prediger")


@pytest.fixture
def runner():
    return CliRunner()


def _json(runner, args):
    result = runner.invoke(app, ["agree", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# 1. Nobody applied any code


def test_no_code_applied_outside_a_project_reports_n_and_percent_agreement(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a = write_coder(tmp_path / "a.csv", [("s1", ""), ("s2", "")])
    b = write_coder(tmp_path / "b.csv", [("s1", ""), ("s2", "")])
    data = _json(runner, [str(a), str(b)])
    assert data["codes"] == []
    assert data["overall"]["n"] == 2
    assert data["overall"]["percent_agreement_all_codes"] is None  # no code to agree on
    assert data["overall"]["krippendorff_alpha_masi"] is None
    for fmt in ("table", "md", "csv"):
        result = runner.invoke(app, ["agree", str(a), str(b), "-f", fmt])
        assert result.exit_code == 0, result.output
    data = _json(runner, [str(a), str(b)])
    assert data["overall"]["percent_agreement_segments"] == 1.0  # both said "no code applies" throughout


def test_no_code_applied_in_a_project_lists_every_code_as_undefined(tmp_path):
    empty = [("P01-0002", ""), ("P01-0003", ""), ("P02-0002", "")]
    study = make_project(tmp_path, {"anna": empty, "ben": empty})
    data = run_agree(AgreeOptions(coders=("anna", "ben"), project=study.root, replicates=30, seed=1)).data
    assert len(data["codes"]) == 5
    for row in data["codes"]:
        assert row["n"] == 3 and row["percent_agreement"] == 1.0
        assert row["krippendorff_alpha"] is None
        assert row["undefined"]["krippendorff_alpha"].startswith("no coder applied this code")


# 3. One rule for undefined, reasons that are true


def _issue_example(tmp_path):
    a = write_coder(tmp_path / "A.csv", [("s1", "x"), ("s2", ""), ("s3", "y")])
    b = write_coder(tmp_path / "B.csv", [("s2", ""), ("s3", "y")])
    return a, b


def test_every_statistic_is_undefined_on_the_same_units_with_a_true_reason(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a, b = _issue_example(tmp_path)
    data = run_agree(AgreeOptions(coders=(str(a), str(b)))).data
    x = next(row for row in data["codes"] if row["code"] == "x")
    for name in CHANCE_CORRECTED:
        assert x[name] is None, name
        why = x["undefined"][name]
        assert "no coder applied this code to any segment" not in why
        assert "fewer than two coders coded" in why
    assert x["percent_agreement"] == 1.0 and x["n"] == 2


def test_defined_and_undefined_agree_across_statistics_on_random_data():
    rng = np.random.default_rng(3)
    for _ in range(200):
        units, coders = rng.integers(2, 8), rng.integers(2, 5)
        ratings = (rng.random((units, coders, 3)) < rng.uniform(0.05, 0.6)).astype(float)
        ratings[rng.random((units, coders)) < 0.4] = np.nan
        stats = binary_agreement(ratings).stats
        defined = {name: ~np.isnan(stats[name].value) for name in CHANCE_CORRECTED if name != "cohen_kappa"}
        first = defined["krippendorff_alpha"]
        for name, mask in defined.items():
            assert (mask == first).all(), name


# 4. No degenerate interval


def test_no_zero_width_interval_for_a_code_applied_once_by_each(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rows = [(f"s{i:02d}", "") for i in range(2, 55)]
    a = write_coder(tmp_path / "a.csv", [("s01", "rare"), *rows])
    b = write_coder(tmp_path / "b.csv", [("s01", "rare"), *rows])
    data = _json(runner, [str(a), str(b), "--bootstrap", "300", "--seed", "2"])
    row = data["codes"][0]
    assert row["cohen_kappa"] == 1.0
    for name in STATISTICS:
        ci = row["ci"][name]
        assert ci is None or ci[1] - ci[0] > 1e-6, (name, ci)
    assert "cohen_kappa" in row["ci_withheld"]


def test_no_bootstrap_interval_with_an_end_stuck_on_the_estimate(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rows = [(f"s{i:02d}", "") for i in range(2, 55)]
    a = write_coder(tmp_path / "a.csv", [("s01", "rare"), *rows, ("s60", "common"), ("s61", "common")])
    b = write_coder(tmp_path / "b.csv", [("s01", ""), *rows, ("s60", "common"), ("s61", "")])
    data = _json(runner, [str(a), str(b), "--bootstrap", "500", "--seed", "3"])
    for row in data["codes"]:
        for name in STATISTICS:
            ci, value = row["ci"][name], row[name]
            if ci is None or value is None or abs(value) >= 1:
                continue
            assert abs(ci[0] - value) > 1e-9 and abs(ci[1] - value) > 1e-9, (row["code"], name, ci, value)
    md = runner.invoke(app, ["agree", str(a), str(b), "--bootstrap", "500", "--seed", "3", "-f", "md"])
    assert "interval withheld" in md.stdout


# 5. Rare codes


def test_codes_applied_fewer_than_five_times_are_flagged(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rows_a = [(f"s{i}", "common") for i in range(6)] + [("s6", "rare")]
    rows_b = [(f"s{i}", "common") for i in range(6)] + [("s6", "rare")]
    a, b = write_coder(tmp_path / "a.csv", rows_a), write_coder(tmp_path / "b.csv", rows_b)
    data = _json(runner, [str(a), str(b)])
    flags = {row["code"]: row["too_rare"] for row in data["codes"]}
    assert flags == {"common": False, "rare": True}
    table = runner.invoke(app, ["agree", str(a), str(b)])
    rare_line = next(line for line in table.stdout.splitlines() if line.startswith("rare "))
    assert rare_line.split()[1] == "7†" and "† applied fewer than 5 times" in table.stdout
    md = runner.invoke(app, ["agree", str(a), str(b), "-f", "md"])
    assert "| rare | 7† |" in md.stdout and "applied fewer than 5 times" in md.stdout
    csv_out = runner.invoke(app, ["agree", str(a), str(b), "-f", "csv"])
    header = csv_out.stdout.splitlines()[0].split(",")
    assert "too_rare" in header


# 8. Overall percent agreement over the codes used


def test_overall_percent_agreement_leaves_out_codes_nobody_used(tmp_path):
    study = make_project(
        tmp_path,
        {
            "anna": [("P01-0002", "barriers.time"), ("P01-0003", ""), ("P01-0004", "barriers.time")],
            "ben": [("P01-0002", "barriers.time"), ("P01-0003", "barriers.time"), ("P01-0004", "")],
        },
    )
    overall = run_agree(AgreeOptions(coders=("anna", "ben"), project=study.root)).data["overall"]
    assert overall["percent_agreement"] == pytest.approx(1 / 3)  # one code used, 1 of 3 segments alike
    assert overall["percent_agreement_all_codes"] == pytest.approx((1 + 4 * 3) / 15)
    assert overall["codes_used"] == 1

"""slqual agree: building the ratings from coder files, the JSON interface, exit codes and files."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from agreement_fixtures import REVIEWER1, REVIEWER2, make_project, write_coder
from typer.testing import CliRunner

from slqual import __version__
from slqual.agreement import AgreeOptions, run_agree
from slqual.agreement.build import build_ratings
from slqual.cli.main import app
from slqual.codings import read_coding
from slqual.errors import AgreementError

CODE_KEYS = {
    "code", "n", "percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1",
    "brennan_prediger", "ci", "undefined",
}  # fmt: skip
OVERALL_KEYS = {
    "n", "percent_agreement", "krippendorff_alpha_masi", "pooled_kappa", "mean_alpha", "cohen_kappa",
    "fleiss_kappa", "krippendorff_alpha", "gwet_ac1",
}  # fmt: skip


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def study(tmp_path):
    return make_project(tmp_path)


def _json(runner, args):
    result = runner.invoke(app, ["agree", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ratings_are_one_zero_or_missing_per_segment_and_code(study):
    from slqual.codebook import load_project_codebook

    codings = {c: read_coding(study.coder_path(c)) for c in ("reviewer1", "reviewer2")}
    units = ["P01-0002", "P01-0003", "P01-0004", "P02-0002", "P02-0003", "P02-0004"]
    ratings = build_ratings(codings, codebook=load_project_codebook(study), units=units)
    time = ratings.codes.index("barriers.time")
    # reviewer1 coded P02-0003 as "no code applies" (empty code): 0, not missing
    assert ratings.ratings[units.index("P02-0003"), 0, time] == 0
    assert ratings.ratings[units.index("P02-0003"), 1, time] == 1
    assert ratings.ratings[units.index("P02-0002"), 0, time] == 1
    # every codebook node is listed, used or not
    assert ratings.codes == ("barriers", "barriers.time", "barriers.culture", "skills", "skills.listening")


def test_a_segment_a_coder_never_coded_is_missing(study):
    from slqual.codebook import load_project_codebook

    codings = {
        "a": read_coding(write_coder(study.root / "a.csv", [("P01-0002", "barriers.time")])),
        "b": read_coding(write_coder(study.root / "b.csv", [("P01-0002", ""), ("P01-0003", "skills")])),
    }
    ratings = build_ratings(codings, codebook=load_project_codebook(study), units=["P01-0002", "P01-0003"])
    assert np.isnan(ratings.ratings[1, 0]).all()
    assert (ratings.ratings[1, 1] == [0, 0, 0, 1, 0]).all()


def test_theme_level_counts_any_code_under_the_theme(study):
    from slqual.codebook import load_project_codebook

    codings = {c: read_coding(study.coder_path(c)) for c in ("reviewer1", "reviewer2")}
    units = ["P01-0002", "P01-0003", "P01-0004", "P02-0002", "P02-0003", "P02-0004"]
    ratings = build_ratings(codings, level="theme", codebook=load_project_codebook(study), units=units)
    assert ratings.codes == ("barriers", "skills")
    barriers = ratings.ratings[:, :, 0]
    assert barriers[units.index("P01-0003")].tolist() == [1, 1]  # barriers.culture rolls up
    assert barriers[units.index("P02-0003")].tolist() == [0, 1]


def test_unknown_codes_are_refused_with_file_and_row(study):
    bad = write_coder(study.root / "bad.csv", [("P01-0002", "barriers.time"), ("P01-0003", "no.such.code")])
    with pytest.raises(
        AgreementError, match=r"bad\.csv, row 3: code 'no\.such\.code' is not in the codebook"
    ):
        run_agree(AgreeOptions(coders=("reviewer1", str(bad)), project=study.root))


def test_interviewer_segments_are_left_out_with_a_note(study):
    write_coder(study.coder_path("reviewer2"), [*REVIEWER2, ("P01-0001", "barriers.time")], "reviewer2")
    outcome = run_agree(AgreeOptions(coders=("reviewer1", "reviewer2"), project=study.root))
    assert any("P01-0001" in note and "left out" in note for note in outcome.notes)
    assert outcome.data["units"] == 6


def test_json_has_the_documented_keys(runner, study):
    data = _json(runner, ["reviewer1", "reviewer2", "-p", str(study.root)])
    assert data["coders"] == ["reviewer1", "reviewer2"]
    assert data["level"] == "code"
    assert [row["code"] for row in data["codes"]] == [
        "barriers", "barriers.time", "barriers.culture", "skills", "skills.listening",
    ]  # fmt: skip
    for row in data["codes"]:
        assert CODE_KEYS <= set(row)
        assert set(row["ci"]) >= {"cohen_kappa", "krippendorff_alpha", "gwet_ac1"}
    assert OVERALL_KEYS <= set(data["overall"])
    assert data["slqual_version"] == __version__


def test_json_is_exactly_what_the_library_returned(runner, study):
    data = _json(runner, ["reviewer1", "reviewer2", "-p", str(study.root)])
    outcome = run_agree(AgreeOptions(coders=("reviewer1", "reviewer2"), project=study.root))
    assert data == json.loads(json.dumps(outcome.data))


def test_undefined_statistics_are_null_with_a_reason(runner, study):
    data = _json(runner, ["reviewer1", "reviewer2", "-p", str(study.root)])
    unused = next(row for row in data["codes"] if row["code"] == "skills")
    assert unused["krippendorff_alpha"] is None and unused["cohen_kappa"] is None
    assert "no coder applied this code" in unused["undefined"]["krippendorff_alpha"]
    assert unused["percent_agreement"] == 1.0 and unused["n"] == 6
    # a code list with more than one code per segment: single-code statistics are null with the reason
    assert data["overall"]["cohen_kappa"] is None
    assert "exactly one code" in data["overall"]["undefined"]["cohen_kappa"]


def test_table_shows_dash_footnote_and_interpretation(runner, study):
    result = runner.invoke(app, ["agree", "reviewer1", "reviewer2", "-p", str(study.root)])
    assert result.exit_code == 0, result.output
    assert "–¹" in result.stdout
    assert "¹ no coder applied this code" in result.stdout
    assert "almost perfect" in result.stdout
    lines = result.stdout.splitlines()
    theme_row = next(i for i, line in enumerate(lines) if line.startswith("barriers "))
    assert lines[theme_row + 1].startswith("  time ")  # codes listed under their theme


def test_min_alpha_exit_code(runner, study):
    ok = runner.invoke(app, ["agree", "reviewer1", "reviewer2", "-p", str(study.root), "--min-alpha", "0.2"])
    assert ok.exit_code == 0, ok.output
    low = runner.invoke(app, ["agree", "reviewer1", "reviewer2", "-p", str(study.root), "--min-alpha", "0.8"])
    assert low.exit_code == 1
    assert "barriers.time" in low.stderr


def test_disagreements_csv_has_context_coders_and_empty_decision_columns(runner, study, tmp_path):
    path = tmp_path / "disagreements.csv"
    result = runner.invoke(
        app, ["agree", "reviewer1", "reviewer2", "-p", str(study.root), "--disagreements", str(path)]
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(frame.columns) == [
        "segment_id", "document", "participant_id", "group", "question", "text", "code", "code_name",
        "reviewer1", "reviewer2", "decision", "reason",
    ]  # fmt: skip
    assert set(zip(frame["segment_id"], frame["code"], strict=True)) == {
        ("P02-0002", "barriers.time"),
        ("P02-0003", "barriers.time"),
    }
    row = frame.set_index("segment_id").loc["P02-0003"]
    assert (row["reviewer1"], row["reviewer2"]) == ("0", "1")
    assert row["group"] == "non-clinical"
    assert row["question"] == "What skills help?"
    assert (frame["decision"] == "").all() and (frame["reason"] == "").all()


def test_disagreements_xlsx_keeps_formula_like_text_as_text(runner, study, tmp_path):
    from openpyxl import load_workbook

    write_coder(
        study.coder_path("reviewer2"), [r for r in REVIEWER2 if r[0] != "P01-0003"] + [("P01-0003", "")]
    )
    path = tmp_path / "disagreements.xlsx"
    result = runner.invoke(
        app, ["agree", "reviewer1", "reviewer2", "-p", str(study.root), "--disagreements", str(path)]
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(path).active
    header = [c.value for c in sheet[1]]
    assert header[-2:] == ["decision", "reason"]
    texts = [row[header.index("text")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "=SUM(A1) and the culture of GPs." in texts
    coders = (header.index("reviewer1"), header.index("reviewer2"))
    for row in sheet.iter_rows(min_row=2):
        assert all(cell.data_type == "s" for i, cell in enumerate(row) if cell.value and i not in coders)
        assert all(row[i].data_type == "n" for i in coders)  # coders' 1/0 are numbers


def test_reconcile_can_read_the_disagreements_file(study, tmp_path):
    from slqual.reconcile import read_decisions

    path = tmp_path / "d.csv"
    run_agree(AgreeOptions(coders=("reviewer1", "reviewer2"), project=study.root, disagreements=path))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["decision"] = ["keep", "drop"]
    frame.to_csv(path, index=False)
    assert set(read_decisions(path)) == {("P02-0002", "barriers.time"), ("P02-0003", "barriers.time")}


def test_two_csv_files_outside_a_project(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a = write_coder(tmp_path / "anna.csv", [("S1", "x"), ("S2", "y"), ("S3", "x"), ("S4", "")])
    b = write_coder(
        tmp_path / "ben.csv", [("S1", "x"), ("S2", "x"), ("S3", "x"), ("S5", "y")], coder="benjamin"
    )
    data = _json(runner, [str(a), str(b)])
    assert data["coders"] == ["anna", "benjamin"]  # file stem, or the coder column
    assert data["units"] == 5  # the union of segment ids
    assert [row["code"] for row in data["codes"]] == ["x", "y"]
    assert data["overall"]["n"] == 3


def test_one_code_per_segment_gives_the_nominal_statistics(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    table = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]  # Gwet's 3 x 3 abstractors: kappa 0.796, AC1 0.849
    rows_a, rows_b, n = [], [], 0
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            for _ in range(count):
                n += 1
                rows_a.append((f"S{n}", "abc"[i]))
                rows_b.append((f"S{n}", "abc"[j]))
    a, b = write_coder(tmp_path / "a.csv", rows_a), write_coder(tmp_path / "b.csv", rows_b)
    overall = _json(runner, [str(a), str(b)])["overall"]
    assert overall["exclusive"] is True and overall["n_categories"] == 3
    assert round(overall["cohen_kappa"], 3) == 0.796
    assert round(overall["gwet_ac1"], 3) == 0.849


def test_three_coders_report_light_kappa_and_a_pairwise_matrix(runner, tmp_path):
    third = [*REVIEWER1[:3], ("P02-0002", "skills.listening"), ("P02-0003", ""), ("P02-0004", "")]
    study = make_project(tmp_path, {"reviewer1": REVIEWER1, "reviewer2": REVIEWER2, "reviewer3": third})
    data = _json(runner, ["reviewer1", "reviewer2", "reviewer3", "-p", str(study.root)])
    assert data["kappa_type"] == "light"
    assert [p["coders"] for p in data["pairwise"]] == [
        ["reviewer1", "reviewer2"], ["reviewer1", "reviewer3"], ["reviewer2", "reviewer3"],
    ]  # fmt: skip
    table = runner.invoke(app, ["agree", "reviewer1", "reviewer2", "reviewer3", "-p", str(study.root)])
    assert "Coder pairs" in table.stdout and "Light κ" in table.stdout


def test_bootstrap_is_seeded_and_gives_alpha_an_interval(runner, study):
    args = ["reviewer1", "reviewer2", "-p", str(study.root), "--bootstrap", "200", "--seed", "4"]
    first, second = _json(runner, args), _json(runner, args)
    assert first == second
    row = next(r for r in first["codes"] if r["code"] == "barriers.time")
    low, high = row["ci"]["krippendorff_alpha"]
    assert low <= row["krippendorff_alpha"] <= high
    assert row["ci_method"]["krippendorff_alpha"] == "bootstrap-200"
    assert first["bootstrap"] == {"replicates": 200, "seed": 4}


def test_methods_paragraph_reports_what_was_computed(runner, study):
    result = runner.invoke(app, ["agree", "reviewer1", "reviewer2", "-p", str(study.root), "--methods"])
    assert result.exit_code == 0
    text = result.stdout
    assert f"slqual {__version__}" in text
    assert "Two coders (reviewer1 and reviewer2) independently coded all six segments" in text
    assert "Krippendorff" in text and "Fleiss, Cohen and Everitt (1969)" in text


def test_csv_and_markdown_formats(runner, study):
    csv_out = runner.invoke(app, ["agree", "reviewer1", "reviewer2", "-p", str(study.root), "-f", "csv"])
    assert csv_out.exit_code == 0
    assert csv_out.stdout.splitlines()[0].startswith("code,name,theme,n,positives_reviewer1")
    md = runner.invoke(app, ["agree", "reviewer1", "reviewer2", "-p", str(study.root), "-f", "md"])
    assert md.exit_code == 0
    assert "| code | n |" in md.stdout and "[^1]:" in md.stdout


def test_one_coder_or_an_unknown_coder_is_a_usage_error(runner, study):
    one = runner.invoke(app, ["agree", "reviewer1", "-p", str(study.root)])
    assert one.exit_code == 2 and "at least two coders" in one.stderr
    unknown = runner.invoke(app, ["agree", "reviewer1", "nobody", "-p", str(study.root)])
    assert unknown.exit_code == 2 and "no coder 'nobody'" in unknown.stderr


def test_theme_level_outside_a_project_is_explained(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a = write_coder(tmp_path / "a.csv", [("S1", "x")])
    b = write_coder(tmp_path / "b.csv", [("S1", "x")])
    result = runner.invoke(app, ["agree", str(a), str(b), "--level", "theme"])
    assert result.exit_code == 2 and "needs a project's codebook" in result.stderr


def test_no_numpy_warnings_even_with_unused_codes_and_bootstrap(study):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outcome = run_agree(
            AgreeOptions(
                coders=("reviewer1", "reviewer2"), project=study.root, replicates=50, seed=1, min_alpha=0.5
            )
        )
    assert outcome.data["codes"][0]["krippendorff_alpha"] is None


def test_bootstrap_with_no_segment_coded_by_two_coders(tmp_path):
    study = make_project(
        tmp_path,
        {"reviewer1": [("P01-0002", "barriers.time")], "reviewer2": [("P01-0003", "skills.listening")]},
    )
    outcome = run_agree(
        AgreeOptions(coders=("reviewer1", "reviewer2"), project=study.root, replicates=20, seed=1)
    )
    assert outcome.data["overall"]["n"] == 0
    assert outcome.data["overall"]["percent_agreement"] is None


def test_disagreements_csv_prefixes_formula_like_text(study, tmp_path):
    write_coder(
        study.coder_path("reviewer2"), [r for r in REVIEWER2 if r[0] != "P01-0003"] + [("P01-0003", "")]
    )
    path = tmp_path / "d.csv"
    run_agree(AgreeOptions(coders=("reviewer1", "reviewer2"), project=study.root, disagreements=path))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("segment_id")
    assert frame.loc["P01-0003", "text"] == "'=SUM(A1) and the culture of GPs."
    assert frame.loc["P01-0003", "code"] == "barriers.culture"  # ids are left as they are


def test_disagreements_xlsx_drops_characters_xml_cannot_hold(study, tmp_path):
    from openpyxl import load_workbook

    segments = study.segments_path.read_text(encoding="utf-8")
    study.segments_path.write_text(segments.replace("=SUM(A1)", "=SUM(A1)\x0b\x01"), encoding="utf-8")
    write_coder(
        study.coder_path("reviewer2"), [r for r in REVIEWER2 if r[0] != "P01-0003"] + [("P01-0003", "")]
    )
    path = tmp_path / "d.xlsx"
    run_agree(AgreeOptions(coders=("reviewer1", "reviewer2"), project=study.root, disagreements=path))
    sheet = load_workbook(path).active
    header = [c.value for c in sheet[1]]
    texts = [row[header.index("text")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "=SUM(A1)\n and the culture of GPs." in texts  # Word's line break stays a line break


def test_disagreements_file_must_be_csv_or_xlsx(runner, study, tmp_path):
    result = runner.invoke(
        app,
        [
            "agree",
            "reviewer1",
            "reviewer2",
            "-p",
            str(study.root),
            "--disagreements",
            str(tmp_path / "d.txt"),
        ],
    )
    assert result.exit_code == 2 and "must end in .csv or .xlsx" in result.stderr


def test_light_kappa_reason_names_the_coder_pair(tmp_path):
    same = [("P01-0002", ""), ("P01-0003", ""), ("P01-0004", "")]
    study = make_project(tmp_path, {"anna": same, "ben": same, "cleo": [*same[:2], ("P01-0004", "skills")]})
    outcome = run_agree(AgreeOptions(coders=("anna", "ben", "cleo"), project=study.root))
    skills = next(row for row in outcome.data["codes"] if row["code"] == "skills")
    assert skills["cohen_kappa"] is None
    assert skills["undefined"]["cohen_kappa"].startswith("kappa for anna and ben: neither of them applied")
    assert skills["krippendorff_alpha"] is not None  # defined: cleo applied it once


def test_an_existing_disagreements_file_is_never_replaced_unasked(runner, study, tmp_path):
    target = tmp_path / "disagreements.csv"
    target.write_text(
        "segment_id,code,decision,reason\nX-0001,a,keep,agreed in the meeting\n", encoding="utf-8"
    )
    args = ["agree", "reviewer1", "reviewer2", "-p", str(study.root), "--disagreements", str(target)]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    assert "already exists and may hold your team's decisions" in refused.output
    assert "agreed in the meeting" in target.read_text(encoding="utf-8")
    replaced = runner.invoke(app, [*args, "--force"])
    assert replaced.exit_code == 0, replaced.output
    kept = list((study.root / ".slqual" / "history").glob("disagreements.*.csv"))
    assert len(kept) == 1 and "agreed in the meeting" in kept[0].read_text(encoding="utf-8")

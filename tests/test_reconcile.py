"""slqual reconcile: consensus from agreed codes plus recorded decisions."""

from __future__ import annotations

import pandas as pd
import pytest

from slqual.cli.main import app
from slqual.codings import read_coding
from slqual.errors import CodingsError
from slqual.reconcile import Undecided, reconcile
from slqual.segments import SEGMENT_COLUMNS

B, T, ISL = "barriers.bureaucracy", "barriers.time_pressure", "barriers.isolation"


def _segments(project, n=4):
    rows = [
        {
            "segment_id": f"P01-{i:04d}",
            "document": "P01",
            "participant_id": "P01",
            "seq": i,
            "speaker": "P01",
            "speaker_role": "participant",
            "start": "",
            "end": "",
            "text": f"answer {i}",
        }
        for i in range(1, n + 1)
    ]
    pd.DataFrame(rows, columns=SEGMENT_COLUMNS).to_csv(project.segments_path, index=False)


def _coder(project, name, rows):
    frame = pd.DataFrame([{"segment_id": s, "code": c, "coder": name, "exemplar": e} for s, c, e in rows])
    frame.to_csv(project.coder_path(name), index=False)


@pytest.fixture
def coded(project):
    _segments(project)
    _coder(
        project,
        "r1",
        [
            ("P01-0001", B, ""),
            ("P01-0002", T, "1"),
            ("P01-0002", ISL, ""),
            ("P01-0003", "", ""),
            ("P01-0004", B, ""),
        ],
    )
    _coder(project, "r2", [("P01-0001", B, ""), ("P01-0002", T, ""), ("P01-0003", ISL, "")])
    return project


def _decisions(tmp_path, rows):
    path = tmp_path / "decisions.csv"
    pd.DataFrame(rows, columns=["segment_id", "code", "r1", "r2", "decision", "reason"]).to_csv(
        path, index=False
    )
    return path


def test_open_disagreements_stop_and_write_nothing(coded):
    result = reconcile(coded, ["r1", "r2"])
    assert sorted(result.pending) == [("P01-0002", ISL), ("P01-0003", ISL)]
    assert result.written is None
    assert not coded.coder_path("consensus").exists()
    assert result.not_coded_by_all == 1  # P01-0004: only r1 has coded it


def test_recorded_decisions_settle_disagreements(coded, tmp_path):
    path = _decisions(
        tmp_path,
        [("P01-0002", ISL, 1, 0, "keep", "explicit"), ("P01-0003", ISL, 0, 1, "drop", "off topic")],
    )
    result = reconcile(coded, ["r1", "r2"], decisions_file=path)
    assert result.decided == 2 and not result.pending
    consensus = read_coding(coded.coder_path("consensus"))
    pairs = set(zip(consensus["segment_id"], consensus["code"], strict=True))
    assert pairs == {("P01-0001", B), ("P01-0002", T), ("P01-0002", ISL), ("P01-0003", "")}
    assert set(consensus["coder"]) == {"consensus"}
    kept = consensus[(consensus["segment_id"] == "P01-0002") & (consensus["code"] == ISL)]
    assert kept["memo"].item() == "explicit"
    assert set(consensus.loc[consensus["exemplar"] == "1", "segment_id"]) == {"P01-0002"}
    log = pd.read_csv(result.log_path, dtype=str, keep_default_na=False)
    assert list(log["decision"]) == ["keep", "drop"] and list(log["source"]) == ["decision", "decision"]


def test_decisions_saved_by_a_spreadsheet_with_semicolons_are_read(coded, tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text(
        "\ufeffsegment_id;code;r1;r2;decision;reason\n"
        f"P01-0002;{ISL};1;0;keep;explicit, and clear\nP01-0003;{ISL};0;1;drop;off topic\n",
        encoding="utf-8",
    )
    result = reconcile(coded, ["r1", "r2"], decisions_file=path)
    assert result.decided == 2 and not result.pending
    consensus = read_coding(coded.coder_path("consensus"))
    kept = consensus[(consensus["segment_id"] == "P01-0002") & (consensus["code"] == ISL)]
    assert kept["memo"].item() == "explicit, and clear"


def test_a_damaged_decisions_workbook_names_the_file(coded, tmp_path):
    path = tmp_path / "decisions.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(CodingsError, match=r"decisions\.xlsx: cannot be read as a CSV or Excel file"):
        reconcile(coded, ["r1", "r2"], decisions_file=path)


@pytest.mark.parametrize(("policy", "expected"), [(Undecided.keep, {ISL}), (Undecided.drop, set())])
def test_undecided_policy(coded, policy, expected):
    reconcile(coded, ["r1", "r2"], undecided=policy)
    consensus = read_coding(coded.coder_path("consensus"))
    second = set(consensus.loc[consensus["segment_id"] == "P01-0002", "code"])
    assert second == {T} | expected


def test_previous_consensus_is_kept(coded):
    reconcile(coded, ["r1", "r2"], undecided=Undecided.keep)
    first = coded.coder_path("consensus").read_bytes()
    result = reconcile(coded, ["r1", "r2"], undecided=Undecided.drop)
    assert result.kept_previous is not None and result.kept_previous.read_bytes() == first


def test_bad_decision_words_are_listed_with_rows(coded, tmp_path):
    path = _decisions(tmp_path, [("P01-0002", ISL, 1, 0, "maybe", ""), ("P01-0003", ISL, 0, 1, "hmm", "")])
    with pytest.raises(CodingsError, match=r"row 2: decision 'maybe'.*row 3: decision 'hmm'"):
        reconcile(coded, ["r1", "r2"], decisions_file=path)
    assert not coded.coder_path("consensus").exists()


def test_a_decision_for_no_disagreement_is_refused(coded, tmp_path):
    path = _decisions(tmp_path, [("P01-0001", B, 1, 1, "drop", "")])
    with pytest.raises(CodingsError, match="not a disagreement"):
        reconcile(coded, ["r1", "r2"], decisions_file=path, undecided=Undecided.keep)


def test_unknown_codes_stop_reconcile(coded):
    _coder(coded, "r3", [("P01-0001", "no.such.code", "")])
    with pytest.raises(CodingsError, match="no.such.code"):
        reconcile(coded, ["r1", "r3"])


def test_cli_exit_1_while_disagreements_are_open(coded, runner):
    result = runner.invoke(app, ["reconcile", "r1", "r2", "-p", str(coded.root)])
    assert result.exit_code == 1
    assert "have no decision" in result.output


def test_cli_writes_consensus_with_a_policy(coded, runner):
    result = runner.invoke(app, ["reconcile", "r1", "r2", "--undecided", "keep", "-p", str(coded.root)])
    assert result.exit_code == 0, result.output
    assert coded.coder_path("consensus").is_file()


def test_cli_names_the_existing_coders(coded, runner):
    result = runner.invoke(app, ["reconcile", "r1", "nobody", "-p", str(coded.root)])
    assert result.exit_code == 2
    assert "coders: r1, r2" in result.output
